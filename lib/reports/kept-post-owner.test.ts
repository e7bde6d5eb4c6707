import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';

let accounts: TestAccounts<{ owner: 'partner'; other: 'partner'; gone: 'partner'; editor: 'editor' }>;
let owner: typeof import('./kept-post-owner');
let client: typeof import('@/db/client');

beforeAll(async () => {
  accounts = await insertTestAccounts({ owner: 'partner', other: 'partner', gone: 'partner', editor: 'editor' });
  owner = await import('./kept-post-owner');
  client = await import('@/db/client');
});

describe('the owner hint of posts kept across sign-in', () => {
  it("names its own account back, and no other; it holds neither the account's id nor its code name", () => {
    const hint = owner.keptPostOwnerHint(accounts.owner.id);
    expect(hint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(owner.accountOfOwnerHint(hint)).toBe(accounts.owner.id);
    expect(owner.accountOfOwnerHint(owner.keptPostOwnerHint(accounts.other.id))).toBe(accounts.other.id);
    expect(hint).not.toBe(owner.keptPostOwnerHint(accounts.other.id));
    expect(hint).not.toContain(String(accounts.owner.id));
  });

  it('refuses forged hints: altered, keyed with another secret, or not shaped like one', () => {
    const hint = owner.keptPostOwnerHint(accounts.owner.id);
    const altered = (hint[0] === 'A' ? 'B' : 'A') + hint.slice(1);
    expect(owner.accountOfOwnerHint(altered)).toBeNull();
    // The same construction with a secret the server does not hold.
    const wrongKey = createHmac('sha256', 'not-the-server-secret').update('fr.kept-post-owner.v1').digest();
    const forged = createHmac('sha256', wrongKey).update(`account:${accounts.owner.id}`).digest('base64url');
    expect(owner.accountOfOwnerHint(forged)).toBeNull();
    // A plain HMAC of the id under the server's label alone (no subkey) is not one either.
    expect(owner.accountOfOwnerHint(createHmac('sha256', 'fr.kept-post-owner.v1').update(String(accounts.owner.id)).digest('base64url'))).toBeNull();
    for (const value of [null, undefined, '', String(accounts.owner.id), hint + 'A', hint.slice(1), 42, `${hint}\n`]) {
      expect(owner.accountOfOwnerHint(value)).toBeNull();
    }
  });

  it('names nobody once the account is no longer an active partner, nor an editor', () => {
    expect(owner.accountOfOwnerHint(owner.keptPostOwnerHint(accounts.editor.id))).toBeNull();
    const goneHint = owner.keptPostOwnerHint(accounts.gone.id);
    expect(owner.accountOfOwnerHint(goneHint)).toBe(accounts.gone.id);
    client.getSqlite().prepare("UPDATE accounts SET status = 'deactivated' WHERE id = ?").run(accounts.gone.id);
    expect(owner.accountOfOwnerHint(goneHint)).toBeNull();
  });
});
