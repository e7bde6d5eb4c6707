import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertTestAccount, useTestDatabase } from '@/lib/accounts/test-database';

let session: typeof import('./session');
let client: typeof import('@/db/client');

beforeAll(async () => {
  await useTestDatabase();
  session = await import('./session');
  client = await import('@/db/client');
});

afterEach(() => {
  vi.useRealTimers();
});

function setAccount(id: number, column: 'status' | 'role' | 'session_version', value: string | number): void {
  client.getSqlite().prepare(`UPDATE accounts SET ${column} = ? WHERE id = ?`).run(value, id);
}

describe('resolveSessionToken with the decoded claims cached per token', () => {
  it('still reads the account on every request: a new session_version ends a token resolved before', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id, role: 'partner' });
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id, role: 'partner' });
    setAccount(partner.id, 'session_version', version + 1);
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('a deactivated account or a changed role shows at the next request of a cached token', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    expect(await session.resolveSessionToken(token)).toMatchObject({ role: 'partner' });
    setAccount(partner.id, 'role', 'editor');
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id, role: 'editor' });
    setAccount(partner.id, 'status', 'deactivated');
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('a cached token is refused once it has expired', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const version = client.getSqlite().prepare('SELECT session_version FROM accounts WHERE id = ?').pluck().get(partner.id) as number;
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: version });
    expect(await session.resolveSessionToken(token)).toMatchObject({ id: partner.id });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + session.getSessionMaxAgeSeconds() * 1000 + 60_000);
    expect(await session.resolveSessionToken(token)).toBeNull();
  });

  it('refuses a tampered token', async () => {
    const partner = await insertTestAccount({ role: 'partner', password: 'a sound long passphrase' });
    const token = await session.createSessionToken({ id: partner.id, sessionVersion: 0 });
    expect(await session.resolveSessionToken(`${token.slice(0, -4)}AAAA`)).toBeNull();
  });
});
