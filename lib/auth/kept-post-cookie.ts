import 'server-only';
import { cookies } from 'next/headers';
import { getEnv } from '@/lib/env';
import { claimKeptPost, KEPT_POST_TTL_MS, peekKeptPost } from '@/lib/reports/kept-posts';
import type { Role } from '@/db/schema';

/**
 * The cookie that holds the token of a post kept across sign-in (lib/reports/kept-posts.ts;
 * docs/decisions/0009-posts-kept-across-sign-in.md), and the claim at the end of every sign-in.
 *
 * - HttpOnly, SameSite=Lax, Secure behind HTTPS (`__Secure-` prefix then), no Domain.
 * - Path `/sign-in`: sent only to the sign-in pages and their actions (password, code, enrolment
 *   steps), which are the only places that read it. Never in a URL.
 * - Lives as long as the kept post (KEPT_POST_TTL_MS), and is cleared once the post is claimed
 *   or gone.
 */
function isSecure(): boolean {
  return getEnv().NEXTAUTH_URL?.startsWith('https://') ?? false;
}

/** The cookie's name: `__Secure-fr.kept-post` behind HTTPS, `fr.kept-post` otherwise. */
export function keptPostCookieName(): string {
  return isSecure() ? '__Secure-fr.kept-post' : 'fr.kept-post';
}

/** The cookie's attributes (maxAge in seconds: the kept post's lifetime, or 0 to delete it). */
export function keptPostCookieOptions(maxAge: number = KEPT_POST_TTL_MS / 1000) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: isSecure(), path: '/sign-in', maxAge };
}

/** This browser's kept-post token, or null (Server Components, Actions and Route Handlers). */
export async function readKeptPostToken(): Promise<string | null> {
  return (await cookies()).get(keptPostCookieName())?.value ?? null;
}

/** Delete the cookie (Server Actions and Route Handlers only). */
export async function clearKeptPostCookie(): Promise<void> {
  (await cookies()).set(keptPostCookieName(), '', keptPostCookieOptions(0));
}

/**
 * At the end of a completed sign-in (Server Actions only): claim this browser's kept post for the
 * account that has just signed in and say where to land.
 * @param confirmUnbound the partner answered "Yes, it is mine" on /sign-in/kept-post (a post
 *   bound to no account is replayed only then)
 * @returns the draft's edit page (`?kept=saved`, or `?kept=problems` when some values do not
 *   validate yet), the report page (`?kept=sent`) or My reports
 *   (`?kept=refused`) when a post was claimed; `/sign-in/kept-post` ("Is this yours?") when the
 *   post is bound to no account; null when there was none for this account (then the usual
 *   destination). The cookie is cleared unless a live post is still waiting (for another account,
 *   for the answer, or put back after a refusal).
 */
export async function landingAfterKeptPost(account: { id: number; role: Role }, { confirmUnbound = false }: { confirmUnbound?: boolean } = {}): Promise<string | null> {
  const token = await readKeptPostToken();
  if (!token) return null;
  const result = claimKeptPost({ actor: account, token, confirmUnbound });
  if (!peekKeptPost({ token })) await clearKeptPostCookie();
  switch (result.outcome) {
    case 'confirm':
      return '/sign-in/kept-post';
    case 'saved':
      return `/partner/reports/${result.reportId}/edit?kept=${result.hasProblems ? 'problems' : 'saved'}`;
    case 'sent':
      return `/partner/reports/${result.reportId}?kept=sent`;
    case 'refused':
      return '/partner?kept=refused';
    case 'none':
      return null;
  }
}
