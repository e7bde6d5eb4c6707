import { beforeAll, describe, expect, it } from 'vitest';
import { auditRows, insertTestAccount, sessionVersionOf } from '@/lib/testing/accounts';

let accounts: typeof import('./accounts');
let invitations: typeof import('./invitations');
let admin: { id: number; role: 'admin' };

beforeAll(async () => {
  accounts = await import('./accounts');
  invitations = await import('./invitations');
  const a = await insertTestAccount({ role: 'admin' });
  admin = { id: a.id, role: 'admin' };
});

function invite(codeName: string, now = new Date()) {
  const result = accounts.createAccount({ actor: admin, input: { codeName, role: 'partner' }, now });
  if (!result.ok) throw new Error(`could not create ${codeName}`);
  return result;
}

async function passwordHashOf(accountId: number): Promise<string | null> {
  const { getSqlite } = await import('@/db/client');
  return (getSqlite().prepare('SELECT password_hash AS h FROM accounts WHERE id = ?').get(accountId) as { h: string | null }).h;
}

const good = 'seven lanterns over the river';

describe('invitation links', () => {
  it('sets the password once; the second use is refused and changes nothing', async () => {
    const { account, link } = invite('lantern-1');
    const version = await sessionVersionOf(account.id);
    expect(invitations.describeInvitation({ token: link.token })).toMatchObject({ ok: true, codeName: 'lantern-1', purpose: 'invite' });
    const first = await invitations.acceptInvitation({ token: link.token, input: { password: good, confirmPassword: good } });
    expect(first).toEqual({ ok: true, codeName: 'lantern-1' });
    const hash = await passwordHashOf(account.id);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await sessionVersionOf(account.id)).toBe(version + 1);
    expect((await auditRows()).at(-1)).toMatchObject({ kind: 'password_set', targetAccountId: account.id, detail: { via: 'invite' } });
    expect(JSON.stringify(await auditRows())).not.toContain(good);

    const auditCount = (await auditRows()).length;
    const second = await invitations.acceptInvitation({ token: link.token, input: { password: 'another long passphrase', confirmPassword: 'another long passphrase' } });
    expect(second).toEqual({ ok: false, messageKey: 'auth.invite.used' });
    expect(invitations.describeInvitation({ token: link.token })).toEqual({ ok: false, messageKey: 'auth.invite.used' });
    expect(await passwordHashOf(account.id)).toBe(hash);
    expect((await auditRows()).length).toBe(auditCount);

    const { verifyCredentials } = await import('@/lib/auth/sign-in');
    expect(await verifyCredentials({ codeName: 'LANTERN-1', password: good })).toMatchObject({ id: account.id });
  });

  it('expires 72 hours after it was made', async () => {
    const made = new Date('2026-01-10T00:00:00Z');
    const { account, link } = invite('lantern-2', made);
    const justBefore = new Date(made.getTime() + 72 * 3600 * 1000 - 1);
    const atExpiry = new Date(made.getTime() + 72 * 3600 * 1000);
    expect(invitations.describeInvitation({ token: link.token, now: justBefore }).ok).toBe(true);
    expect(invitations.describeInvitation({ token: link.token, now: atExpiry })).toEqual({ ok: false, messageKey: 'auth.invite.expired' });
    const result = await invitations.acceptInvitation({ token: link.token, input: { password: good, confirmPassword: good }, now: atExpiry });
    expect(result).toEqual({ ok: false, messageKey: 'auth.invite.expired' });
    expect(await passwordHashOf(account.id)).toBeNull();
  });

  it('does not know malformed or made-up tokens, nor links of deactivated accounts', async () => {
    for (const token of ['', 'abc', 'x'.repeat(43), '../../etc/passwd', 'A'.repeat(10_000)]) {
      expect(invitations.describeInvitation({ token })).toEqual({ ok: false, messageKey: 'auth.invite.unknown' });
    }
    const { account, link } = invite('lantern-3');
    accounts.deactivateAccount({ actor: admin, accountId: account.id });
    expect(invitations.describeInvitation({ token: link.token }).ok).toBe(false);
    expect((await invitations.acceptInvitation({ token: link.token, input: { password: good, confirmPassword: good } })).ok).toBe(false);
    expect(await passwordHashOf(account.id)).toBeNull();
  });

  it('refuses weak, short, 10,000-character and unconfirmed passwords, and keeps the link usable', async () => {
    const { account, link } = invite('lantern-4');
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ password: 'x'.repeat(10_000), confirmPassword: 'x'.repeat(10_000) }, { password: ['auth.password.tooLong'] }],
      [{ password: 'short one', confirmPassword: 'short one' }, { password: ['auth.password.tooShort'] }],
      [{ password: 'password1234', confirmPassword: 'password1234' }, { password: ['auth.password.weak'] }],
      [{ password: 'Lantern-4lantern-4', confirmPassword: 'Lantern-4lantern-4' }, { password: ['auth.password.weak'] }],
      [{ password: 'LANTERN-4', confirmPassword: 'LANTERN-4' }, { password: ['auth.password.tooShort'] }],
      [{ password: good, confirmPassword: `${good} ` }, { confirmPassword: ['auth.password.mismatch'] }],
      [{ password: good, confirmPassword: '' }, { confirmPassword: ['auth.password.confirmRequired'] }],
      [{ password: '', confirmPassword: '' }, { password: ['auth.password.required'] }],
    ];
    for (const [input, fieldErrors] of cases) {
      const result = await invitations.acceptInvitation({ token: link.token, input });
      expect(result, JSON.stringify(input).slice(0, 60)).toEqual({ ok: false, messageKey: 'auth.errors.summary', fieldErrors });
    }
    expect(await passwordHashOf(account.id)).toBeNull();
    expect(invitations.describeInvitation({ token: link.token }).ok).toBe(true);
  });

  it('accepts long passphrases whole (no truncation) and counts characters, not bytes', async () => {
    const { link } = invite('lantern-5');
    const long = `${'압록강 건너 '.repeat(100)}끝`;
    expect((await invitations.acceptInvitation({ token: link.token, input: { password: long, confirmPassword: long } })).ok).toBe(true);
    const { verifyCredentials } = await import('@/lib/auth/sign-in');
    expect(await verifyCredentials({ codeName: 'lantern-5', password: long })).not.toBeNull();
    expect(await verifyCredentials({ codeName: 'lantern-5', password: long.slice(0, -1) })).toBeNull();
  });
});
