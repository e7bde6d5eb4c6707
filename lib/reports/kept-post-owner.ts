import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { accounts } from '@/db/schema';
import { getAuthSecret } from '@/lib/env';

/**
 * The owner hint of posts kept across sign-in (docs/decisions/0009-posts-kept-across-sign-in.md):
 * every kept partner form (report form, reply form) carries, in the hidden field KEPT_OWNER_FIELD
 * (lib/reports/kept-post-fields.ts), an HMAC-SHA256 of the signed-in account's id keyed with a
 * subkey of NEXTAUTH_SECRET. A post sent after the session cookie has gone (it expires with the
 * session) is still bound to its author: only that account can claim it. The hint names nobody to
 * whoever reads the page (no id, no code name), and nobody without the server's secret can make
 * one for an account.
 *
 * It stays the same for the account's lifetime (a page kept open for hours still works); what it
 * lets a holder do is only this: bind a post they send to that account, in their own browser
 * (the claim needs the browser's kept-post cookie), which the account's partner then sees as a
 * draft of their own when signing in on that browser — no more than a post sent while signed in.
 */

const HINT_LABEL = 'fr.kept-post-owner.v1';

function hintKey(): Buffer {
  return createHmac('sha256', getAuthSecret()).update(HINT_LABEL).digest();
}

function hintOf(key: Buffer, accountId: number): Buffer {
  return createHmac('sha256', key).update(`account:${accountId}`).digest();
}

/**
 * The owner hint for an account, to render into its partner forms.
 * @param accountId the signed-in account's id
 * @returns 43 base64url characters (a 256-bit HMAC)
 */
export function keptPostOwnerHint(accountId: number): string {
  return hintOf(hintKey(), accountId).toString('base64url');
}

/**
 * Whether `hint` is the owner hint of `accountId` (constant-time comparison; anything that is not
 * a well-formed hint is false). One HMAC, no database read.
 * @param hint the posted field's value (anything)
 * @param accountId the account to compare with (the caller's)
 */
export function isOwnerHintOf(hint: unknown, accountId: number): boolean {
  if (typeof hint !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(hint)) return false;
  const given = Buffer.from(hint, 'base64url');
  return given.length === 32 && timingSafeEqual(hintOf(hintKey(), accountId), given);
}

/**
 * The account an owner hint stands for: an active partner whose hint it is, or null (missing,
 * malformed, forged, or an account that is no longer an active partner). Compares against every
 * active partner's hint in constant time per comparison (a few hundred HMACs at most).
 * @param hint the posted field's value (anything)
 */
export function accountOfOwnerHint(hint: unknown): number | null {
  if (typeof hint !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(hint)) return null;
  const given = Buffer.from(hint, 'base64url');
  if (given.length !== 32) return null;
  const key = hintKey();
  const partners = getDb()
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.role, 'partner'), eq(accounts.status, 'active')))
    .all();
  let found: number | null = null;
  for (const { id } of partners) {
    if (timingSafeEqual(hintOf(key, id), given)) found = id;
  }
  return found;
}
