import { beforeAll, describe, expect, it } from 'vitest';
import { auditRows, insertTestAccount, sessionVersionOf } from '@/lib/testing/accounts';
import { generateTotpSecret, hashRecoveryCode, matchTotpStep, totpCodeAt, totpStepAt } from './totp';
import { secondStepFor } from './two-factor-state';

let tf: typeof import('./two-factor');

beforeAll(async () => {
  tf = await import('./two-factor');
});

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0); // on a step boundary
const STEP = 30_000;

async function enrolled(role: 'editor' | 'partner' = 'editor') {
  const account = await insertTestAccount({ role });
  const secret = generateTotpSecret();
  const result = tf.enrolTwoFactor({
    accountId: account.id,
    secret,
    code: totpCodeAt({ secret, timestampMs: T0 }),
    expectedSessionVersion: await sessionVersionOf(account.id),
    now: new Date(T0),
  });
  if (!result.ok) throw new Error('enrolment failed');
  return { account, secret, recoveryCodes: result.recoveryCodes };
}

describe('TOTP secrets and codes', () => {
  it('makes a fresh 160-bit base32 secret each time', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateTotpSecret));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('matches codes of the previous, current and next step only', () => {
    const secret = generateTotpSecret();
    const now = T0 + 10_000;
    for (const drift of [-1, 0, 1]) {
      const code = totpCodeAt({ secret, timestampMs: now + drift * STEP });
      expect(matchTotpStep({ secret, code, timestampMs: now })).toBe(totpStepAt(now) + drift);
    }
    for (const drift of [-3, -2, 2, 3]) {
      const code = totpCodeAt({ secret, timestampMs: now + drift * STEP });
      expect(matchTotpStep({ secret, code, timestampMs: now })).toBeNull();
    }
  });
});

describe('signing in with a code', () => {
  it('accepts a code once; the same code again is refused', async () => {
    const { account, secret } = await enrolled();
    const now = new Date(T0 + STEP + 5_000);
    const code = totpCodeAt({ secret, timestampMs: now.getTime() });
    expect(tf.verifySecondFactor({ accountId: account.id, code, now })).toEqual({ ok: true, method: 'totp' });
    expect(tf.verifySecondFactor({ accountId: account.id, code, now })).toEqual({ ok: false });
    expect(tf.verifySecondFactor({ accountId: account.id, code, now: new Date(now.getTime() + STEP) })).toEqual({ ok: false });
  });

  it('accepts a code from one step of drift either way, and refuses an older step after a newer one', async () => {
    const { account, secret } = await enrolled();
    const now = T0 + 10 * STEP;
    const ahead = totpCodeAt({ secret, timestampMs: now + STEP });
    expect(tf.verifySecondFactor({ accountId: account.id, code: ahead.replace(/(\d{3})/, '$1 '), now: new Date(now) })).toEqual({ ok: true, method: 'totp' });
    const behind = totpCodeAt({ secret, timestampMs: now - STEP });
    expect(tf.verifySecondFactor({ accountId: account.id, code: behind, now: new Date(now) })).toEqual({ ok: false });
    const later = T0 + 20 * STEP;
    const behindLater = totpCodeAt({ secret, timestampMs: later - STEP });
    expect(tf.verifySecondFactor({ accountId: account.id, code: behindLater, now: new Date(later) })).toEqual({ ok: true, method: 'totp' });
  });

  it('refuses wrong codes, codes two steps away, and the enrolment code', async () => {
    const { account, secret } = await enrolled();
    const now = T0 + 15_000;
    expect(tf.verifySecondFactor({ accountId: account.id, code: totpCodeAt({ secret, timestampMs: T0 }), now: new Date(now) })).toEqual({ ok: false });
    const right = totpCodeAt({ secret, timestampMs: now + STEP });
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(tf.verifySecondFactor({ accountId: account.id, code: wrong, now: new Date(now) })).toEqual({ ok: false });
    expect(tf.verifySecondFactor({ accountId: account.id, code: totpCodeAt({ secret, timestampMs: now + 2 * STEP }), now: new Date(now) })).toEqual({ ok: false });
    for (const junk of ['', '12345', '1234567', 'abcdef', 'x'.repeat(100_000)]) {
      expect(tf.verifySecondFactor({ accountId: account.id, code: junk, now: new Date(now) })).toEqual({ ok: false });
    }
  });

  it('refuses codes for an account without 2FA', async () => {
    const plain = await insertTestAccount({ role: 'partner' });
    expect(tf.verifySecondFactor({ accountId: plain.id, code: '123456' })).toEqual({ ok: false });
  });
});

describe('enrolment', () => {
  it('stores the secret, bumps the session version, records the event and refuses a second enrolment', async () => {
    const account = await insertTestAccount({ role: 'admin' });
    const secret = generateTotpSecret();
    const version = await sessionVersionOf(account.id);
    const code = totpCodeAt({ secret, timestampMs: T0 });
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const wrong = tf.enrolTwoFactor({ accountId: account.id, secret, code: wrongCode, expectedSessionVersion: version, now: new Date(T0) });
    expect(wrong).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(await sessionVersionOf(account.id)).toBe(version);

    const ok = tf.enrolTwoFactor({ accountId: account.id, secret, code, expectedSessionVersion: version, now: new Date(T0) });
    expect(ok.ok).toBe(true);
    expect(await sessionVersionOf(account.id)).toBe(version + 1);
    expect((await auditRows()).at(-1)).toMatchObject({ kind: 'two_factor_enrolled', targetAccountId: account.id });
    const otherSecret = generateTotpSecret();
    const otherCode = totpCodeAt({ secret: otherSecret, timestampMs: T0 });
    const again = tf.enrolTwoFactor({ accountId: account.id, secret: otherSecret, code: otherCode, expectedSessionVersion: version + 1, now: new Date(T0) });
    expect(again).toEqual({ ok: false, messageKey: 'auth.twoFactor.expired' });
  });

  it('refuses when the account changed since enrolment began (stale session version)', async () => {
    const account = await insertTestAccount({ role: 'editor' });
    const secret = generateTotpSecret();
    const version = await sessionVersionOf(account.id);
    const { getSqlite } = await import('@/db/client');
    getSqlite().prepare('UPDATE accounts SET session_version = session_version + 1 WHERE id = ?').run(account.id);
    const result = tf.enrolTwoFactor({ accountId: account.id, secret, code: totpCodeAt({ secret, timestampMs: T0 }), expectedSessionVersion: version, now: new Date(T0) });
    expect(result).toEqual({ ok: false, messageKey: 'auth.twoFactor.expired' });
  });
});

describe('recovery codes', () => {
  it('gives ten distinct codes, stored only as hashes', async () => {
    const { account, recoveryCodes } = await enrolled();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const { getSqlite } = await import('@/db/client');
    const stored = (getSqlite().prepare('SELECT code_hash AS h FROM recovery_codes WHERE account_id = ?').all(account.id) as { h: string }[]).map((r) => r.h);
    expect(stored).toHaveLength(10);
    for (const code of recoveryCodes) {
      expect(stored).not.toContain(code);
      expect(stored).toContain(hashRecoveryCode({ accountId: account.id, code }));
    }
    expect(stored.join(' ')).not.toMatch(new RegExp(recoveryCodes.map((c) => c.replace('-', '-?')).join('|')));
  });

  it('accepts each recovery code once, in any letter case and spacing', async () => {
    const { account, recoveryCodes } = await enrolled();
    const [first, second] = recoveryCodes as [string, string];
    expect(tf.verifySecondFactor({ accountId: account.id, code: first.toUpperCase().replace('-', ' ') })).toEqual({ ok: true, method: 'recovery' });
    expect(tf.verifySecondFactor({ accountId: account.id, code: first })).toEqual({ ok: false });
    expect((await auditRows()).at(-1)).toMatchObject({ kind: 'recovery_code_used', targetAccountId: account.id, detail: { remaining: 9 } });
    expect(tf.countUnusedRecoveryCodes({ accountId: account.id })).toBe(9);
    // Another account's code does not work here.
    const other = await enrolled();
    expect(tf.verifySecondFactor({ accountId: other.account.id, code: second })).toEqual({ ok: false });
    expect(tf.verifySecondFactor({ accountId: account.id, code: second })).toEqual({ ok: true, method: 'recovery' });
  });
});

describe('replacing recovery codes', () => {
  it('replaces all ten with new ones when proven by a current app code; the old ones stop working', async () => {
    const { account, secret, recoveryCodes: old } = await enrolled();
    const [used, unused] = old as [string, string];
    expect(tf.verifySecondFactor({ accountId: account.id, code: used })).toMatchObject({ ok: true });
    const versionBefore = await sessionVersionOf(account.id);
    const now = new Date(T0 + 2 * STEP);
    const result = tf.replaceRecoveryCodes({ accountId: account.id, code: totpCodeAt({ secret, timestampMs: now.getTime() }), now });
    if (!result.ok) throw new Error('replacement refused');
    expect(result.recoveryCodes).toHaveLength(10);
    expect(result.recoveryCodes.filter((c) => old.includes(c))).toEqual([]);
    expect(tf.countUnusedRecoveryCodes({ accountId: account.id })).toBe(10);
    expect(tf.verifySecondFactor({ accountId: account.id, code: unused })).toEqual({ ok: false });
    expect(tf.verifySecondFactor({ accountId: account.id, code: result.recoveryCodes[3]! })).toEqual({ ok: true, method: 'recovery' });
    expect((await auditRows()).some((row) => row.kind === 'recovery_codes_replaced' && row.targetAccountId === account.id)).toBe(true);
    // Signing in is unchanged: open sessions go on.
    expect(await sessionVersionOf(account.id)).toBe(versionBefore);
  });

  it('refuses a recovery code, a reused or wrong app code, and an account without 2FA — the codes stay', async () => {
    const { account, secret, recoveryCodes } = await enrolled();
    const now = new Date(T0 + 2 * STEP);
    const code = totpCodeAt({ secret, timestampMs: now.getTime() });
    expect(tf.replaceRecoveryCodes({ accountId: account.id, code: recoveryCodes[0]!, now })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(tf.verifySecondFactor({ accountId: account.id, code, now })).toMatchObject({ ok: true });
    expect(tf.replaceRecoveryCodes({ accountId: account.id, code, now })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(tf.replaceRecoveryCodes({ accountId: account.id, code: '000000', now })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(tf.verifySecondFactor({ accountId: account.id, code: recoveryCodes[1]! })).toEqual({ ok: true, method: 'recovery' });
    const plain = await insertTestAccount({ role: 'partner' });
    expect(tf.replaceRecoveryCodes({ accountId: plain.id, code: '123456', now })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
  });
});

describe('who must use a second step', () => {
  it('requires editors and admins to enrol; exempts only demo accounts in demo mode', () => {
    const base = { hasTotp: false, isDemoAccount: false, isDemoMode: false };
    expect(secondStepFor({ ...base, role: 'partner' })).toBe('none');
    expect(secondStepFor({ ...base, role: 'editor' })).toBe('enrol');
    expect(secondStepFor({ ...base, role: 'admin' })).toBe('enrol');
    expect(secondStepFor({ ...base, role: 'editor', isDemoMode: true })).toBe('enrol');
    expect(secondStepFor({ ...base, role: 'editor', isDemoAccount: true })).toBe('enrol');
    expect(secondStepFor({ ...base, role: 'admin', isDemoAccount: true, isDemoMode: true })).toBe('none');
    expect(secondStepFor({ ...base, role: 'partner', hasTotp: true })).toBe('verify');
    expect(secondStepFor({ ...base, role: 'admin', hasTotp: true, isDemoAccount: true, isDemoMode: true })).toBe('verify');
  });
});

describe('turning two-step sign-in off', () => {
  it('lets a partner turn it off with a current code, bumping the session version', async () => {
    const { account, secret } = await enrolled('partner');
    const now = new Date(T0 + 5 * STEP);
    const version = await sessionVersionOf(account.id);
    const wrong = String((Number(totpCodeAt({ secret, timestampMs: now.getTime() })) + 1) % 1_000_000).padStart(6, '0');
    expect(tf.turnOffTwoFactor({ accountId: account.id, code: wrong, now })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(tf.twoFactorStatus({ accountId: account.id })?.enabled).toBe(true);
    const result = tf.turnOffTwoFactor({ accountId: account.id, code: totpCodeAt({ secret, timestampMs: now.getTime() }), now });
    expect(result).toEqual({ ok: true, sessionVersion: version + 1 });
    expect(tf.twoFactorStatus({ accountId: account.id })).toMatchObject({ enabled: false, unusedRecoveryCodes: 0 });
    expect((await auditRows()).at(-1)).toMatchObject({ kind: 'two_factor_turned_off', targetAccountId: account.id, actorId: account.id });
  });

  it('refuses editors and admins: for them it is required', async () => {
    const { account, secret } = await enrolled('editor');
    const now = new Date(T0 + 5 * STEP);
    expect(tf.turnOffTwoFactor({ accountId: account.id, code: totpCodeAt({ secret, timestampMs: now.getTime() }), now })).toEqual({
      ok: false,
      messageKey: 'auth.settings.required',
    });
    expect(tf.twoFactorStatus({ accountId: account.id })).toMatchObject({ enabled: true, required: true });
  });
});
