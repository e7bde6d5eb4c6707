import { beforeAll, describe, expect, it } from 'vitest';
import { auditRows, insertTestAccount, sessionVersionOf } from '@/lib/testing/accounts';

type AccountsModule = typeof import('./accounts');
let m: AccountsModule;
let admin: { id: number; role: 'admin' };

beforeAll(async () => {
  m = await import('./accounts');
  const a = await insertTestAccount({ role: 'admin', codeName: 'chief' });
  admin = { id: a.id, role: 'admin' };
});

async function lastAudit() {
  const rows = await auditRows();
  return rows.at(-1);
}

describe('creating accounts', () => {
  it('creates an account without a password and a one-time link valid for 72 hours', async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const result = m.createAccount({ actor: admin, input: { codeName: 'River-Fox', role: 'partner' }, now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.link.expiresAt.toISOString()).toBe('2026-03-04T10:00:00.000Z');
    const list = m.listAccounts({ actor: admin, now });
    expect(list.ok && list.accounts.find((a) => a.codeName === 'River-Fox')).toMatchObject({
      role: 'partner',
      status: 'active',
      hasPassword: false,
      hasTwoFactor: false,
      openLink: { purpose: 'invite' },
    });
    expect(await lastAudit()).toMatchObject({ kind: 'account_created', actorId: admin.id, targetAccountId: result.account.id });
  });

  it('stores only a SHA-256 of the link token', async () => {
    const result = m.createAccount({ actor: admin, input: { codeName: 'hash-check', role: 'partner' } });
    if (!result.ok) throw new Error('expected ok');
    const { getSqlite } = await import('@/db/client');
    const row = getSqlite().prepare('SELECT token_hash AS h FROM invitations WHERE account_id = ?').get(result.account.id) as { h: string };
    expect(row.h).toMatch(/^[0-9a-f]{64}$/);
    expect(row.h).not.toContain(result.link.token);
  });

  it('refuses a code name already taken in another letter case, and changes nothing', async () => {
    const before = await auditRows();
    const result = m.createAccount({ actor: admin, input: { codeName: 'river-fox', role: 'editor' } });
    expect(result).toEqual({ ok: false, messageKey: 'accounts.errors.summary', fieldErrors: { codeName: ['accounts.errors.codeNameTaken'] } });
    expect((await auditRows()).length).toBe(before.length);
  });

  it('refuses look-alike letters, bad roles and extra fields with clear messages', () => {
    const lookAlike = m.createAccount({ actor: admin, input: { codeName: 'p\u0430rtner', role: 'partner' } });
    expect(!lookAlike.ok && lookAlike.fieldErrors?.codeName).toEqual(['auth.errors.codeNameCharacters']);
    const badRole = m.createAccount({ actor: admin, input: { codeName: 'fine-name', role: 'superuser' } });
    expect(!badRole.ok && badRole.fieldErrors?.role).toEqual(['accounts.errors.roleInvalid']);
    const extra = m.createAccount({ actor: admin, input: { codeName: 'fine-name', role: 'partner', status: 'active' } });
    expect(extra.ok).toBe(false);
  });

  it('refuses editors and partners, even when they claim to be admins', async () => {
    const editor = await insertTestAccount({ role: 'editor' });
    expect(m.createAccount({ actor: { id: editor.id, role: 'editor' }, input: { codeName: 'sneaky', role: 'admin' } })).toEqual({
      ok: false,
      messageKey: 'accounts.errors.notAllowed',
    });
    expect(m.createAccount({ actor: { id: editor.id, role: 'admin' }, input: { codeName: 'sneaky', role: 'admin' } }).ok).toBe(false);
    expect(m.listAccounts({ actor: { id: editor.id, role: 'editor' } }).ok).toBe(false);
  });
});

describe('account changes end open sessions and are audited', () => {
  it('bumps session_version and writes one audit row for each change', async () => {
    const target = await insertTestAccount({ role: 'editor', password: 'correct horse battery' });
    const steps: [string, () => { ok: boolean }][] = [
      ['account_role_changed', () => m.changeRole({ actor: admin, input: { accountId: target.id, role: 'partner' } })],
      ['account_deactivated', () => m.deactivateAccount({ actor: admin, accountId: target.id })],
      ['account_reactivated', () => m.reactivateAccount({ actor: admin, accountId: target.id })],
      ['account_reset', () => m.resetAccount({ actor: admin, accountId: target.id })],
    ];
    for (const [kind, step] of steps) {
      const version = await sessionVersionOf(target.id);
      const auditCount = (await auditRows()).length;
      expect(step().ok, kind).toBe(true);
      expect(await sessionVersionOf(target.id), kind).toBe(version + 1);
      const rows = await auditRows();
      expect(rows.length, kind).toBe(auditCount + 1);
      expect(rows.at(-1), kind).toMatchObject({ kind, actorId: admin.id, targetAccountId: target.id });
    }
  });

  it('a reset clears the password, expires older links and issues a new one', async () => {
    const target = await insertTestAccount({ role: 'partner', password: 'an old long password' });
    const first = m.resetAccount({ actor: admin, accountId: target.id });
    const second = m.resetAccount({ actor: admin, accountId: target.id });
    if (!first.ok || !second.ok) throw new Error('expected ok');
    const { describeInvitation } = await import('./invitations');
    expect(describeInvitation({ token: first.link.token })).toEqual({ ok: false, messageKey: 'auth.invite.expired' });
    expect(describeInvitation({ token: second.link.token })).toMatchObject({ ok: true, purpose: 'reset' });
    const detail = m.getAccountForAdmin({ actor: admin, accountId: target.id });
    expect(detail.ok && detail.account.hasPassword).toBe(false);
  });

  it('resetting 2FA removes the secret and recovery codes and bumps the session version', async () => {
    const target = await insertTestAccount({ role: 'editor', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    const { getSqlite } = await import('@/db/client');
    getSqlite().prepare("INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, 'x'), (?, 'y')").run(target.id, target.id);
    const version = await sessionVersionOf(target.id);
    expect(m.resetTwoFactor({ actor: admin, accountId: target.id })).toEqual({ ok: true });
    expect(await sessionVersionOf(target.id)).toBe(version + 1);
    const row = getSqlite().prepare('SELECT totp_secret AS s, (SELECT count(*) FROM recovery_codes WHERE account_id = ?) AS n FROM accounts WHERE id = ?').get(target.id, target.id);
    expect(row).toEqual({ s: null, n: 0 });
    expect(await lastAudit()).toMatchObject({ kind: 'two_factor_reset', targetAccountId: target.id });
    expect(m.resetTwoFactor({ actor: admin, accountId: target.id })).toEqual({ ok: false, messageKey: 'accounts.errors.noTwoFactor' });
  });

  it('refuses changes that change nothing, and unknown accounts', async () => {
    const target = await insertTestAccount({ role: 'partner' });
    expect(m.changeRole({ actor: admin, input: { accountId: target.id, role: 'partner' } })).toEqual({ ok: false, messageKey: 'accounts.errors.roleUnchanged' });
    expect(m.reactivateAccount({ actor: admin, accountId: target.id })).toEqual({ ok: false, messageKey: 'accounts.errors.alreadyActive' });
    expect(m.deactivateAccount({ actor: admin, accountId: 999999 })).toEqual({ ok: false, messageKey: 'accounts.errors.notFound' });
    expect(m.deactivateAccount({ actor: admin, accountId: 'abc' })).toEqual({ ok: false, messageKey: 'accounts.errors.notFound' });
  });
});

describe('the last active admin', () => {
  it('cannot be demoted or deactivated; with a second admin, one can', async () => {
    // Other tests may have created admins: work out who is active first.
    const { getSqlite } = await import('@/db/client');
    getSqlite().prepare("UPDATE accounts SET status = 'deactivated' WHERE role = 'admin' AND id <> ?").run(admin.id);
    const before = await sessionVersionOf(admin.id);
    expect(m.changeRole({ actor: admin, input: { accountId: admin.id, role: 'editor' } })).toEqual({ ok: false, messageKey: 'accounts.errors.lastAdmin' });
    expect(m.deactivateAccount({ actor: admin, accountId: admin.id })).toEqual({ ok: false, messageKey: 'accounts.errors.lastAdmin' });
    expect(await sessionVersionOf(admin.id)).toBe(before);

    const second = await insertTestAccount({ role: 'admin' });
    expect(m.deactivateAccount({ actor: admin, accountId: second.id })).toEqual({ ok: true });
    // Reactivate and then demote the first admin through the second.
    expect(m.reactivateAccount({ actor: admin, accountId: second.id })).toEqual({ ok: true });
    const secondActor = { id: second.id, role: 'admin' as const };
    expect(m.changeRole({ actor: secondActor, input: { accountId: admin.id, role: 'editor' } })).toEqual({ ok: true });
    // Now the second admin is the last one, and the demoted one can no longer act as admin.
    expect(m.deactivateAccount({ actor: secondActor, accountId: second.id })).toEqual({ ok: false, messageKey: 'accounts.errors.lastAdmin' });
    expect(m.deactivateAccount({ actor: admin, accountId: second.id })).toEqual({ ok: false, messageKey: 'accounts.errors.notAllowed' });
    expect(m.changeRole({ actor: secondActor, input: { accountId: admin.id, role: 'admin' } })).toEqual({ ok: true });
  });
});
