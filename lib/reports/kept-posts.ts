import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, count, eq, isNull, lte } from 'drizzle-orm';
import { getDb, writeTransaction } from '@/db/client';
import { keptPosts } from '@/db/schema';
import type { Actor } from '@/lib/accounts/actor';
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
 * KEPT_POSTS_PER_ACCOUNT rows (the oldest goes); rows bound to no account (the browser sent no
 * token that still decodes, so anyone could make one) are at most KEPT_POSTS_UNBOUND_MAX at once,
 * after which nothing more is kept (the page still shows the text back). Only a SHA-256 of the
 * token is stored. The database is encrypted; `secure_delete` overwrites deleted rows.
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

/** Why a post was not kept: not a form that is kept, too large, or too many unbound posts. */
export type KeepRefusalReason = 'notKept' | 'tooLarge' | 'full';

export type KeepPostResult = { ok: true; token: string; kind: KeptPostKind; expiresAt: number } | { ok: false; reason: KeepRefusalReason };

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
 * @param accountId the ended session's account when its token still decodes (only that account
 *   may claim the post), else null
 * @param replacing the token this browser already holds, if any: its post is deleted (the
 *   browser's cookie can hold one token, so the newer post replaces it)
 * @param now UTC ms
 * @returns the new token (to set in the browser's cookie) and the kind, or why nothing was kept
 */
export function keepPost({ fields, accountId, replacing = null, now = Date.now() }: { fields: readonly KeptField[]; accountId: number | null; replacing?: string | null; now?: number }): KeepPostResult {
  const kind = keptPostKindOf(fields);
  if (!kind) return { ok: false, reason: 'notKept' };
  if (keptFieldsBytes(fields) > KEPT_POST_MAX_BYTES) return { ok: false, reason: 'tooLarge' };
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + KEPT_POST_TTL_MS;
  return writeTransaction((tx): KeepPostResult => {
    tx.delete(keptPosts).where(lte(keptPosts.expiresAt, new Date(now))).run();
    if (isTokenShaped(replacing)) tx.delete(keptPosts).where(eq(keptPosts.tokenHash, hashToken(replacing))).run();
    if (accountId === null) {
      const unbound = tx.select({ n: count() }).from(keptPosts).where(isNull(keptPosts.accountId)).get()?.n ?? 0;
      if (unbound >= KEPT_POSTS_UNBOUND_MAX) return { ok: false, reason: 'full' };
    } else {
      const older = tx.select({ id: keptPosts.id }).from(keptPosts).where(eq(keptPosts.accountId, accountId)).orderBy(asc(keptPosts.id)).all();
      for (const row of older.slice(0, Math.max(0, older.length - (KEPT_POSTS_PER_ACCOUNT - 1)))) {
        tx.delete(keptPosts).where(eq(keptPosts.id, row.id)).run();
      }
    }
    tx.insert(keptPosts)
      .values({ tokenHash: hashToken(token), accountId, kind, fields: [...fields], createdAt: new Date(now), expiresAt: new Date(expiresAt) })
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
 * - `refused`: the post was claimed (and deleted) but the draft or reply was refused with
 *   `messageKey` (another partner's clientId or report: not found; a report no longer editable;
 *   a reply on a draft or an empty one) — nothing was written;
 * - `none`: no live post for this token, or it belongs to another account, or the caller is not a
 *   partner (then it is left for its own partner until it expires).
 */
export type ClaimKeptPostResult =
  | { outcome: 'saved'; reportId: number; hasProblems: boolean }
  | { outcome: 'sent'; reportId: number }
  | { outcome: 'refused'; kind: KeptPostKind; messageKey: string }
  | { outcome: 'none' };

/**
 * Claim the post a browser's token stands for, once, for the partner who has just signed in, and
 * replay it through the data layer as that partner: the report form's fields through
 * parseReportFormData and saveDraft (never submitted: the partner presses Submit again), a reply
 * through postMessage. Each checks the partner's right to the report itself.
 * @param actor the account that has just signed in
 * @param token the browser's cookie value (anything; a malformed one is `none`)
 * @param now UTC ms
 */
export function claimKeptPost({ actor, token, now = Date.now() }: { actor: Actor; token: unknown; now?: number }): ClaimKeptPostResult {
  if (!isTokenShaped(token) || actor.role !== 'partner') return { outcome: 'none' };
  const tokenHash = hashToken(token);
  const claimed = writeTransaction((tx) => {
    const row = tx.select({ id: keptPosts.id, accountId: keptPosts.accountId, expiresAt: keptPosts.expiresAt }).from(keptPosts).where(eq(keptPosts.tokenHash, tokenHash)).get();
    if (!row) return null;
    if (row.expiresAt.getTime() <= now) {
      tx.delete(keptPosts).where(eq(keptPosts.id, row.id)).run();
      return null;
    }
    if (row.accountId !== null && row.accountId !== actor.id) return null;
    const [deleted] = tx
      .delete(keptPosts)
      .where(and(eq(keptPosts.id, row.id), eq(keptPosts.tokenHash, tokenHash)))
      .returning({ kind: keptPosts.kind, fields: keptPosts.fields })
      .all();
    return deleted ?? null;
  });
  if (!claimed) return { outcome: 'none' };
  const form = new FormData();
  for (const [name, value] of claimed.fields) form.append(name, value);

  if (claimed.kind === 'reply') {
    const posted = postMessage({ actor, reportId: form.get('reportId'), input: { body: form.get('body') } });
    return posted.ok ? { outcome: 'sent', reportId: Number(form.get('reportId')) } : { outcome: 'refused', kind: 'reply', messageKey: posted.messageKey };
  }
  // The values as typed, whatever button was pressed: saved, never submitted behind the partner's back.
  const parsed = parseReportFormData(form);
  const saved = saveDraft({ actor, values: parsed.values, now });
  if (!saved.ok) return { outcome: 'refused', kind: 'report', messageKey: saved.messageKey };
  return { outcome: 'saved', reportId: saved.reportId, hasProblems: saved.problems !== null };
}
