import crypto from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it, vi } from 'vitest';
import { commonPasswords, isCommonPassword } from './common-passwords';
import { isWeakPassword, newPasswordSchema } from './new-password';
import { NEW_PASSWORD_MIN_LENGTH } from './schema';

const ranked = dictionary['passwords-common'];
const CODE_NAME = 'lantern-4';

/** The message a person choosing this password would see, or null when it is accepted. */
function refusalOf(password: string, codeName = CODE_NAME): string | null {
  const result = newPasswordSchema(codeName).safeParse({ password, confirmPassword: password });
  return result.success ? null : (result.error.issues[0]?.message ?? null);
}

describe('the common-password check (NIST SP 800-63B §3.1.1.2)', () => {
  it('holds the whole offline list of @zxcvbn-ts/language-common as a lower-case Set', () => {
    expect(ranked.length).toBe(49_233);
    expect(commonPasswords().size).toBe(ranked.length);
    expect(commonPasswords()).toBe(commonPasswords()); // built once per process
  });

  it('refuses, with the "too easy to guess" message, every listed password long enough to be chosen — also those ranked deeper than 10,000', () => {
    const choosable = ranked.map((password, index) => ({ password, rank: index + 1 })).filter(({ password }) => [...password].length >= NEW_PASSWORD_MIN_LENGTH);
    const deep = choosable.filter(({ rank }) => rank > 10_000);
    expect(deep.length).toBeGreaterThan(100);
    expect(deep.map(({ rank }) => rank).at(-1)).toBeGreaterThan(40_000);
    const accepted = choosable.filter(({ password }) => refusalOf(password) !== 'auth.password.weak' || refusalOf(password.toUpperCase()) !== 'auth.password.weak');
    expect(accepted).toEqual([]);
  });

  it('refuses a listed password padded with digits or symbols, repeated, or with its separators dropped — what guessing rules try first', () => {
    const listed = ['sunshine', 'football', 'welcome', 'iloveyou', 'dragon', 'admin', 'password'];
    for (const word of listed) expect(commonPasswords().has(word), word).toBe(true);
    for (const password of ['Sunshine1234', 'FOOTBALL2024!', 'welcome@1234', '!!Password2024', '2024!dragondragon', 'adminadmin123', 'i-love-you-1234', 'I Love You 2024', 'password1111111111111111111111111111', '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~sunshine']) {
      expect(refusalOf(password), password).toBe('auth.password.weak');
    }
  });

  it('refuses runs along the alphabet, the digits and the keyboard, forwards and backwards', () => {
    for (const password of ['abcdefghijkl', 'LKJIHGFEDCBA', '987654321098', '1234567890123', 'qwertyuiopasdf', 'qwertyuiopasdfghjkl', '1q2w3e4r5t6y7u', 'a1b2c3d4e5f6', 'zxcvbnm12345']) {
      expect(refusalOf(password), password).toBe('auth.password.weak');
    }
  });

  it('refuses context words — the service, its region, the published demo passwords, example passphrases — and the code name, padded or repeated', () => {
    for (const password of ['Field Reports 2025!', 'fieldreports123', 'Pyongyang1234', 'north korea 2024', 'demo-admin-password', 'demo-partner-k17-password', 'correct horse battery staple', 'The quick brown fox', 'Lantern-4lantern-4', 'LANTERN-4!2025', 'lantern-4 lantern-4 lantern-4']) {
      expect(refusalOf(password), password).toBe('auth.password.weak');
    }
    expect(isCommonPassword('harbour-lights-12', 'harbour-lights')).toBe(true);
    expect(isCommonPassword('harbour-lights-12', 'lantern-4')).toBe(false);
  });

  it('refuses the code name or a context word with any amount of digit or symbol padding, reversed, or split by any separator', () => {
    // The attacker's trial: the code name plus five digits was accepted (4 was the limit).
    expect(refusalOf('ed-test79612345', 'ed-test796')).toBe('auth.password.weak');
    for (const password of ['ed-test796 20260517!', '0000ed-test7961234567890', '!!!###ed-test796###!!!', '123 edtest796 ed-test796 9', '697tset-de12345', '69-7t-se-td-e!!!', 'e.d+t/e*s~t 7 9 6 2024']) {
      expect(refusalOf(password, 'ed-test796'), password).toBe('auth.password.weak');
    }
    for (const password of ['fieldreports8294017365', '#!pyongyang!#2026051712', '2026northkorea2026!!!', 'stroperdleif12345']) {
      expect(refusalOf(password), password).toBe('auth.password.weak');
    }
    // Words of its own around the code name make a passphrase, and another account's name is no context.
    for (const password of ['ed-test796 rows across the harbour', 'lanterns for ed-test796', 'ed-test79612345']) {
      expect(refusalOf(password, password.startsWith('ed-test79612345') ? 'night-heron' : 'ed-test796'), password).toBeNull();
    }
    // A code name of digits alone keeps the short-padding rule: a long digit string is not its variant.
    expect(isCommonPassword('7968294017365', '796')).toBe(false);
    expect(isCommonPassword('796796!!', '796')).toBe(true);
  });

  it('still refuses what the hand-written list refused (all but two odd entries of its 89)', () => {
    // The list this check replaced (commit before issue 16 item 18); "qwer1234qwer" and
    // "googledummy1" are neither listed nor a listed word with trivial changes.
    const previous = `123456789012 1234567890123 12345678901234 123456789123 123123123123 111111111111 000000000000
      123456123456 121212121212 987654321098 012345678901 147258369147 qwertyuiop12 qwertyuiopasdf qwertyuiopasdfgh
      qwertyuiopasdfghjkl qwertyqwerty qwerty123456 1qaz2wsx3edc 1q2w3e4r5t6y 1q2w3e4r5t6y7u zaq12wsxcde3 asdfghjkl123
      asdfasdfasdf zxcvbnm12345 abcdefghijkl abc123abc123 abcd12345678 password1234 password12345 password123456
      passwordpassword password!123 password@123 p@ssw0rd1234 mypassword123 changeme1234 letmein12345 welcome12345
      welcome@1234 iloveyou1234 iloveyouiloveyou administrator administrator1 admin1234567 adminadmin123 superman1234
      football1234 baseball1234 princess1234 sunshine1234 starwars1234 trustno1trustno1 monkey123456 dragon123456
      master123456 whatever1234 computer1234 internet1234 correcthorsebatterystaple thequickbrownfox
      thequickbrownfoxjumpsoverthelazydog fieldreports fieldreports1 fieldreports123 field-reports northkorea123
      pyongyang123 pyongyang1234 q1w2e3r4t5y6 aaaaaaaaaaaa aa123456789012 a1b2c3d4e5f6 michael12345 jennifer1234
      charlie12345 samsung12345 secret123456 secretsecret temporary123 temppassword test12345678 testtesttest
      demo-admin-password demo-editor-password`.split(/\s+/);
    const withSpaces = ['correct horse battery staple', 'field reports'];
    expect(previous.length + withSpaces.length).toBe(87);
    expect([...previous, ...withSpaces].filter((password) => !isWeakPassword(password, CODE_NAME))).toEqual([]);
  });

  it('accepts strong passphrases, long or non-Latin, and a listed word with non-trivial additions', () => {
    for (const password of ['seven lanterns over the river', 'a river at midnight in winter', 'quiet boats under the bridge', '압록강 건너 압록강 건너 끝', 'dragon8294017365', 'Sunshine and rain on the quay', crypto.randomBytes(18).toString('base64url')]) {
      expect(refusalOf(password), password).toBeNull();
    }
  });

  it('stays cheap on hostile 1,024-character passwords (no quadratic search)', () => {
    const digits = Array.from({ length: 1024 }, () => String(crypto.randomInt(10))).join('');
    const symbols = Array.from({ length: 1024 }, () => '!@#$%^&*()'[crypto.randomInt(10)]).join('');
    commonPasswords();
    // Work counted, not timed (a timing fails on a busy machine): every candidate word is one Set
    // lookup. Trying every split point of 1,024 characters would take ~500,000 lookups; the bounded
    // padding rule takes a few thousand at most, whatever the machine is doing.
    const lookups = vi.spyOn(Set.prototype, 'has');
    try {
      for (const password of [digits, symbols, `${digits.slice(0, 1000)}password`, `${'압'.repeat(1023)}1`]) {
        lookups.mockClear();
        isCommonPassword(password, CODE_NAME);
        expect(lookups.mock.calls.length, password.slice(0, 12)).toBeLessThan(20_000);
      }
    } finally {
      lookups.mockRestore();
    }
  });
});
