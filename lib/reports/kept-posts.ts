import 'server-only';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, count, eq, isNull, lte } from 'drizzle-orm';
import { getDb, writeTransaction } from '@/db/client';
import { keptPosts } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
import { getAuthSecret } from '@/lib/env';
import { throttleBucketOf } from '@/lib/http/client-address';
import { postMessage } from '@/lib/messages/thread';
import { saveDraft } from './drafts';
import { parseReportFormData } from './form-data';
import { keptFieldsBytes, keptPostKindOf, type KeptField, type KeptPostKind } from './kept-post-fields';

/**
 * Posts kept across a new sign-in (issue 18 item 1; docs/decisions/0009-posts-kept-across-sign-in.md).
 * A partner with scripts off presses Save draft, Add row, Search, Submit or Send after their
 * session ended (cookie expired or removed, signed out elsewhere, password reset): the post
 * reaches no action. Its text fields are kept here, under a random token the browser holds in a
 * cookie sent only to the sign-in pages, until that partner signs in again: then the report
 * form's values are saved into their draft (saveDraft: same clientId, same draft; values that do
 * not validate yet are kept as typed) or the reply is posted (postMessage), and the row is deleted.
 *
 * Bounds: a row lives KEPT_POST_TTL_MS at most (expired rows are deleted at every keep and never
 * claimed); its fields take at most KEPT_POST_MAX_BYTES; an account has at most
 * KEPT_POSTS_PER_ACCOUNT rows (the oldest goes). A post is bound to the ended session's account
 * when its token still decodes, else to the account its owner hint names (lib/reports/kept-post-owner.ts,
 * a hidden field of every kept form, so the common case — the cookie expired with the session — is
 * bound too). Rows bound to no account (anyone could make one) take at most
 * KEPT_POST_UNBOUND_MAX_BYTES each, at most KEPT_POSTS_UNBOUND_PER_CLIENT per client address
 * (its throttle bucket, stored as an HMAC) and at most KEPT_POSTS_UNBOUND_MAX at once; beyond that
 * nothing more is kept (the page still shows the text back). An unbound post is never replayed
 * straight into whoever signs in next: claimKeptPost answers `confirm`, and only the partner's
 * "Save it" on /sign-in/kept-post replays it (security review of issue 18, finding 2). Only a
 * SHA-256 of the token is stored. The database is encrypted; `secure_delete` overwrites deleted rows.
 */

/** How long a kept post waits for its partner to sign in again (ms). */
export const KEPT_POST_TTL_MS = 30 * 60 * 1000;
/**
 * Most UTF-8 bytes of one kept post's fields (as stored, JSON). The report form with every field at
 * its limit, typed in Hangul, is about 430 KB (docs/security/README.md "Request limits").
 */
export const KEPT_POST_MAX_BYTES = 1024 * 1024;
/** Most kept posts of one account at once; keeping another drops its oldest. */
export const KEPT_POSTS_PER_ACCOUNT = 5;
/** Most kept posts bound to no account at once; beyond that nothing more is kept. */
export const KEPT_POSTS_UNBOUND_MAX = 100;
/**
 * Most UTF-8 bytes of one unbound kept post (as stored, JSON): 64 KiB, a long report typed by hand,
 * so that anonymous posts cannot write much (security review of issue 18, finding 3).
 */
export const KEPT_POST_UNBOUND_MAX_BYTES = 64 * 1024;
/**
 * Most live unbound kept posts from one client address (throttle bucket: an IPv4 address or an
 * IPv6 /64, lib/http/client-address.ts) at once: a phone re-posting replaces its own post, so 3 is
 * ample for the few partners behind one address; one client cannot fill KEPT_POSTS_UNBOUND_MAX.
 */
export const KEPT_POSTS_UNBOUND_PER_CLIENT = 3;

/** Why a post was not kept: not a form that is kept, too large, or too many unbound posts. */
export type KeepRefusalReason = 'notKept' | 'tooLarge' | 'full';

export type KeepPostResult = { ok: true; token: string; kind: KeptPostKind; expiresAt: number } | { ok: false; reason: KeepRefusalReason };

/** HMAC-SHA256 (keyed from NEXTAUTH_SECRET) of a client's throttle bucket: no address is stored. */
function clientHashOf(clientAddress: string | null): string {
  const key = createHmac('sha256', getAuthSecret()).update('fr.kept-post-client.v1').digest();
  return createHmac('sha256', key).update(throttleBucketOf(clientAddress)).digest('hex');
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token as a browser may send it back: 43 base64url characters (32 random bytes). */
function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * Keep a no-script post's text fields for its partner's next sign-in.
 * @param fields the post's text fields (lib/reports/kept-post-fields.ts keptFieldsOf)
 * @param accountId the ended session's account when its token still decodes, else the account
 *   the post's owner hint names (only that account may claim the post), else null
 * @param clientAddress the sending client's address (lib/http/client-address.ts clientAddressFrom;
 *   null counts as one shared 'unknown' address): the per-address quota of unbound posts
 * @param replacing the token this browser already holds, if any: its post is deleted (the
 *   browser's cookie can hold one token, so the newer post replaces it)
 * @param now UTC ms
 * @returns the new token (to set in the browser's cookie) and the kind, or why nothing was kept
 */
export function keepPost({
  fields,
  accountId,
  clientAddress = null,
  replacing = null,
  now = Date.now(),
}: {
  fields: readonly KeptField[];
  accountId: number | null;
  clientAddress?: string | null;
  replacing?: string | null;
  now?: number;
}): KeepPostResult {
  const kind = keptPostKindOf(fields);
  if (!kind) return { ok: false, reason: 'notKept' };
  if (keptFieldsBytes(fields) > (accountId === null ? KEPT_POST_UNBOUND_MAX_BYTES : KEPT_POST_MAX_BYTES)) return { ok: false, reason: 'tooLarge' };
  const clientHash = accountId === null ? clientHashOf(clientAddress) : null;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + KEPT_POST_TTL_MS;
  return writeTransaction((tx): KeepPostResult => {
    tx.delete(keptPosts).where(lte(keptPosts.expiresAt, new Date(now))).run();
    if (isTokenShaped(replacing)) tx.delete(keptPosts).where(eq(keptPosts.tokenHash, hashToken(replacing))).run();
    if (accountId === null) {
      const unbound = tx.select({ n: count() }).from(keptPosts).where(isNull(keptPosts.accountId)).get()?.n ?? 0;
      if (unbound >= KEPT_POSTS_UNBOUND_MAX) return { ok: false, reason: 'full' };
      const fromClient =
        tx
          .select({ n: count() })
          .from(keptPosts)
          .where(and(isNull(keptPosts.accountId), eq(keptPosts.clientHash, clientHash!)))
          .get()?.n ?? 0;
      if (fromClient >= KEPT_POSTS_UNBOUND_PER_CLIENT) return { ok: false, reason: 'full' };
    } else {
      const older = tx.select({ id: keptPosts.id }).from(keptPosts).where(eq(keptPosts.accountId, accountId)).orderBy(asc(keptPosts.id)).all();
      for (const row of older.slice(0, Math.max(0, older.length - (KEPT_POSTS_PER_ACCOUNT - 1)))) {
        tx.delete(keptPosts).where(eq(keptPosts.id, row.id)).run();
      }
    }
    tx.insert(keptPosts)
      .values({ tokenHash: hashToken(token), accountId, kind, fields: [...fields], createdAt: new Date(now), expiresAt: new Date(expiresAt), clientHash })
      .run();
    return { ok: true, token, kind, expiresAt };
  });
}

/**
 * What a browser's token stands for, without claiming it (the sign-in page's notice).
 * @returns the kind and whether it is bound to an account, or null (no such live post)
 */
export function peekKeptPost({ token, now = Date.now() }: { token: unknown; now?: number }): { kind: KeptPostKind; isBound: boolean } | null {
  if (!isTokenShaped(token)) return null;
  const row = getDb()
    .select({ kind: keptPosts.kind, accountId: keptPosts.accountId, expiresAt: keptPosts.expiresAt })
    .from(keptPosts)
    .where(eq(keptPosts.tokenHash, hashToken(token)))
    .get();
  if (!row || row.expiresAt.getTime() <= now) return null;
  return { kind: row.kind, isBound: row.accountId !== null };
}

/** Delete the post a browser's token stands for (the partner chose to discard it). No-op if none. */
export function discardKeptPost({ token }: { token: unknown }): void {
  if (!isTokenShaped(token)) return;
  getDb().delete(keptPosts).where(eq(keptPosts.tokenHash, hashToken(token))).run();
}

/**
 * What became of a kept post at sign-in:
 * - `saved`: the report form's values are in the partner's draft `reportId` (`hasProblems`: some
 *   values do not validate yet and were kept as typed);
 * - `sent`: the reply was posted on report `reportId`;
 * - `confirm`: the post is bound to no account: nothing was replayed and it is left in place;
 *   the partner is asked "Is this yours?" (/sign-in/kept-post), whose Save claims it again with
 *   `confirmUnbound`;
 * - `refused`: the draft or reply was refused with `messageKey` (another partner's clientId or
 *   report: not found; a report no longer editable; a reply on a draft or an empty one) — nothing
 *   was written; a post bound to this account is deleted (it will not succeed later either), an
 *   unbound one is put back for its owner;
 * - `none`: no live post for this token, or it belongs to another account, or the caller is not a
 *   partner (then it is left for its own partner until it expires).
 */
export type ClaimKeptPostResult =
  | { outcome: 'saved'; reportId: number; hasProblems: boolean }
  | { outcome: 'sent'; reportId: number }
  | { outcome: 'confirm'; kind: KeptPostKind }
  | { outcome: 'refused'; kind: KeptPostKind; messageKey: string }
  | { outcome: 'none' };

/**
 * Claim the post a browser's token stands for, once, for the partner who has just signed in, and
 * replay it through the data layer as that partner: the report form's fields through
 * parseReportFormData and saveDraft (never submitted: the partner presses Submit again), a reply
 * through postMessage. Each checks the partner's right to the report itself.
 * @param actor the account that has just signed in
 * @param token the browser's cookie value (anything; a malformed one is `none`)
 * @param confirmUnbound the partner said a post bound to no account is theirs (else `confirm`)
 * @param now UTC ms
 */
export function claimKeptPost({ actor, token, confirmUnbound = false, now = Date.now() }: { actor: Actor; token: unknown; confirmUnbound?: boolean; now?: number }): ClaimKeptPostResult {
  if (!isTokenShaped(token) || actor.role !== 'partner') return { outcome: 'none' };
  const tokenHash = hashToken(token);
  const claimed = writeTransaction((tx): { kind: KeptPostKind; fields: [string, string][]; isUnbound: boolean; restore: typeof keptPosts.$inferInsert } | { confirm: KeptPostKind } | null => {
    const row = tx.select().from(keptPosts).where(eq(keptPosts.tokenHash, tokenHash)).get();
    if (!row) return null;
    if (row.expiresAt.getTime() <= now) {
      tx.delete(keptPosts).where(eq(keptPosts.id, row.id)).run();
      return null;
    }
    if (row.accountId !== null && row.accountId !== actor.id) return null;
    if (row.accountId === null && !confirmUnbound) return { confirm: row.kind };
    const [deleted] = tx
      .delete(keptPosts)
      .where(and(eq(keptPosts.id, row.id), eq(keptPosts.tokenHash, tokenHash)))
      .returning({ kind: keptPosts.kind, fields: keptPosts.fields })
      .all();
    // Claimed once (deleted first: a second sign-in racing this one finds nothing); an unbound
    // post refused below goes back (its owner may yet sign in on this phone).
    if (!deleted) return null;
    const { id: _id, ...restore } = row;
    return { ...deleted, isUnbound: row.accountId === null, restore };
  });
  if (!claimed) return { outcome: 'none' };
  if ('confirm' in claimed) return { outcome: 'confirm', kind: claimed.confirm };
  const putBack = () => {
    getDb().insert(keptPosts).values(claimed.restore).onConflictDoNothing().run();
  };
  try {
    return replayKeptPost({ actor, kind: claimed.kind, fields: claimed.fields, now, putBackIfUnbound: claimed.isUnbound ? putBack : () => undefined });
  } catch (error) {
    // The database failed mid-replay: the post goes back whoever it belongs to, so nothing is lost.
    putBack();
    throw error;
  }
}

/**
 * Replays a claimed post as `actor` (see {@link claimKeptPost}). A report that was filed meanwhile
 * (submitted from another device after the session ended) cannot take the text: it is saved as a
 * new draft under a fresh client id instead, as the form's "Start a new report from this text"
 * does, so the text kept for the partner is never dropped.
 */
function replayKeptPost({
  actor,
  kind,
  fields,
  now,
  putBackIfUnbound,
}: {
  actor: Actor;
  kind: KeptPostKind;
  fields: [string, string][];
  now: number;
  putBackIfUnbound: () => void;
}): ClaimKeptPostResult {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);

  if (kind === 'reply') {
    const posted = postMessage({ actor, reportId: form.get('reportId'), input: { body: form.get('body') } });
    if (posted.ok) return { outcome: 'sent', reportId: Number(form.get('reportId')) };
    putBackIfUnbound();
    return { outcome: 'refused', kind: 'reply', messageKey: posted.messageKey };
  }
  // The values as typed, whatever button was pressed: saved, never submitted behind the partner's back.
  const parsed = parseReportFormData(form);
  let saved = saveDraft({ actor, values: parsed.values, now });
  if (!saved.ok && saved.code === 'notEditable') saved = saveDraft({ actor, values: { ...parsed.values, clientId: randomUUID() }, now });
  if (!saved.ok) {
    putBackIfUnbound();
    return { outcome: 'refused', kind: 'report', messageKey: saved.messageKey };
  }
  return { outcome: 'saved', reportId: saved.reportId, hasProblems: saved.problems !== null };
}
