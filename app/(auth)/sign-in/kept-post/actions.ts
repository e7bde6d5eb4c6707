'use server';

import { redirect } from 'next/navigation';
import { clearKeptPostCookie, landingAfterKeptPost, readKeptPostToken } from '@/lib/auth/kept-post-cookie';
import { ROLE_HOMES } from '@/lib/auth/roles';
import { getCurrentAccount } from '@/lib/auth/session';
import { formAction } from '@/lib/http/server-action';
import { discardKeptPost } from '@/lib/reports/kept-posts';

/**
 * "Yes, it is mine: save it" on /sign-in/kept-post (works without scripts): the post this browser
 * kept with no account named is replayed for the signed-in partner (saved into their draft or sent
 * as their reply) and the landing page says so (docs/decisions/0009-posts-kept-across-sign-in.md).
 * Signed out: to sign-in. Nothing waiting: to the role's home.
 */
export const confirmKeptPostAction = formAction(async () => {
  const account = await getCurrentAccount();
  if (!account) redirect('/sign-in');
  const landing = account.role === 'partner' ? await landingAfterKeptPost(account, { confirmUnbound: true }) : null;
  redirect(landing ?? ROLE_HOMES[account.role]);
});

/**
 * "No: discard it" on /sign-in/kept-post: the post this browser kept is deleted with its cookie.
 * The browser's own cookie is the only key.
 */
export const discardUnboundKeptPostAction = formAction(async () => {
  const account = await getCurrentAccount();
  if (!account) redirect('/sign-in');
  discardKeptPost({ token: await readKeptPostToken() });
  await clearKeptPostCookie();
  redirect(ROLE_HOMES[account.role]);
});
