import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { getLocale, getTranslations } from 'next-intl/server';
import { MAX_TYPED_BACK_BYTES, typedFieldsOf, type TypedField } from '@/lib/at-rest/sealed-pages';
import { keptPostCookieName, keptPostCookieOptions } from '@/lib/auth/kept-post-cookie';
import { ROLE_HOMES, safeCallbackPath } from '@/lib/auth/roles';
import { accountOfEndedSession, getCurrentAccount, getSessionCookieName } from '@/lib/auth/session';
import { isCallOfAccount } from '@/lib/auth/tab-owner';
import { escapeHtml } from '@/lib/http/escape-html';
import { clientAddressFrom } from '@/lib/http/client-address';
import { isSameOriginRequest } from '@/lib/http/origin';
import { PLAIN_PAGE_CSP, renderPlainPage } from '@/lib/http/plain-page';
import { keptFieldsOf } from '@/lib/reports/kept-post-fields';
import { KEPT_OWNER_FIELD } from '@/lib/reports/owner-hint';
import { accountOfOwnerHint } from '@/lib/reports/kept-post-owner';
import { keepPost, type KeepPostResult } from '@/lib/reports/kept-posts';

/**
 * The answer to a no-script form post on a partner page whose session has ended (issue 18 item 1;
 * docs/decisions/0009-posts-kept-across-sign-in.md). proxy.ts rewrites such a post here, body and
 * all, instead of letting the page redirect it to sign-in (a 307 the browser re-posted to
 * /sign-in, which answered a blank "Server Action unavailable." and lost everything typed).
 *
 * Answered 200 with a page, never a redirect: it says the session ended and nothing was saved yet,
 * shows every posted text back in read-only boxes (to copy), and links to sign-in. The report
 * form's and the reply's fields are also kept on the server (lib/reports/kept-posts.ts) under a
 * token in a cookie sent only to /sign-in: signing in again saves them into the partner's draft
 * or sends the reply. The post is bound to the ended session's account when its cookie still
 * decodes, else to the account named by the form's owner hint (lib/reports/kept-post-owner.ts: the
 * cookie expires with the session, so this is the common case); with neither it is bound to no
 * account and the next sign-in asks "Is this yours?" first. Not kept: posts of a deactivated
 * account, or of an account that is no longer a partner, or with an owner hint that names no
 * active partner (forged, or a deactivated account's) — the text is shown back, nothing is saved —
 * other forms (delete-draft, photos), posts over the size cap, or when too many unbound posts are
 * waiting (in all, or from this client address).
 *
 * A post from a page rendered for another account than the one signed in now (its owner hint is
 * not the session's: a shared phone, lib/auth/tab-owner.ts; proxy.ts sends it here) is answered
 * like its author's ended session: bound by its hint to that author, kept for their next sign-in,
 * never saved into the account signed in now; the page says so. Any other post that arrives here
 * with a live session (sent straight to this path) keeps nothing and is sent with 303 back to its
 * partner page, or to the caller's home. Cross-site posts are refused (as proxy.ts does first).
 */
export async function POST(request: Request) {
  if (!isSameOriginRequest(request)) {
    return new NextResponse('Cross-site request refused.', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const back = partnerPath(request.headers.get('x-fr-path'));
  const account = await getCurrentAccount();
  const form = await postedForm(request);
  // The owner hint is neither kept nor shown back.
  const hint = form.get(KEPT_OWNER_FIELD);
  form.delete(KEPT_OWNER_FIELD);
  // A live session's own post (or one with no hint) is not this page's: back to the page. A post
  // from a page rendered for another account than the one signed in (proxy.ts sends it here) is
  // answered as its author's ended session: never saved into the account signed in now.
  const isOtherAccounts = account !== null && hint !== null && !isCallOfAccount({ accountId: account.id, hint });
  if (account && !isOtherAccounts) {
    const location = account.role === 'partner' ? (back ?? ROLE_HOMES.partner) : ROLE_HOMES[account.role];
    return new NextResponse(null, { status: 303, headers: { location, 'cache-control': 'private, no-store' } });
  }

  const jar = await cookies();
  // The session cookie is the live one of the account signed in now when the post is another's.
  const ended = isOtherAccounts ? null : await accountOfEndedSession(jar.get(getSessionCookieName())?.value);
  const hinted = ended || hint === null ? null : accountOfOwnerHint(hint);
  // A deactivated account, or one that is no longer a partner, signs in to nothing here: its text
  // is shown back and nothing is kept. So is a post whose hint names no active partner.
  const mayKeep = ended ? ended.status === 'active' && ended.role === 'partner' : hint === null || hinted !== null;
  const kept: KeepPostResult = mayKeep
    ? keepPost({
        fields: keptFieldsOf(form),
        accountId: ended?.id ?? hinted,
        clientAddress: clientAddressFrom(request.headers),
        replacing: jar.get(keptPostCookieName())?.value ?? null,
      })
    : { ok: false, reason: 'notKept' };

  const html = await renderSessionEnded({ typed: typedFieldsOf(form), kept, back, isOtherAccounts });
  const response = new NextResponse(html, {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store', 'content-security-policy': PLAIN_PAGE_CSP },
  });
  if (kept.ok) response.cookies.set(keptPostCookieName(), kept.token, keptPostCookieOptions());
  return response;
}

/** The page the post came from, when it is a partner page (where to go back after sign-in). */
function partnerPath(value: string | null): string | null {
  const path = safeCallbackPath(value);
  return path && (path === '/partner' || path.startsWith('/partner/')) ? path : null;
}

/** The posted form, or an empty one when it is too large to show back or does not parse. */
async function postedForm(request: Request): Promise<FormData> {
  const type = request.headers.get('content-type') ?? '';
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  const isForm = type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');
  if (!isForm || !(length <= MAX_TYPED_BACK_BYTES)) return new FormData();
  try {
    return await request.formData();
  } catch {
    return new FormData();
  }
}

const ROW_GROUPS = { vehicles: 'vehicle', goods: 'goods', agencies: 'agency' } as const;
const ROW_FIELD = /^(vehicles|goods|agencies)\.(\d{1,3})\.([A-Za-z]+)$/;

/** The session-ended page (HTML), in the browser's language. */
async function renderSessionEnded({
  typed,
  kept,
  back,
  isOtherAccounts,
}: {
  typed: TypedField[];
  kept: KeepPostResult;
  back: string | null;
  /** The post came from a page of another account than the one signed in on this browser now. */
  isOtherAccounts: boolean;
}): Promise<string> {
  const [t, tAll, locale] = await Promise.all([getTranslations('auth.sessionEnded'), getTranslations(), getLocale()]);

  /** A posted field's label as the form shows it ("Vehicle sighting 2: Cargo"), else its name. */
  const labelOf = (name: string): string => {
    if (name === 'body') return tAll('report.page.reply');
    if (name === 'caption') return tAll('photos.upload.captionLabel');
    if (tAll.has(`report.form.fields.${name}`)) return tAll(`report.form.fields.${name}`);
    const row = ROW_FIELD.exec(name);
    const group = row ? ROW_GROUPS[row[1] as keyof typeof ROW_GROUPS] : null;
    if (row && group && tAll.has(`report.form.${group}.${row[3]}`)) {
      return `${tAll(`report.form.${group}.legend`, { n: Number(row[2]) + 1 })}: ${tAll(`report.form.${group}.${row[3]}`)}`;
    }
    return name;
  };

  // Why nothing is kept, when it is not: too large, too many waiting, or not a form that is kept
  // (a deactivated account is told no more than that, whoever holds the phone).
  const notKept = kept.ok ? '' : kept.reason === 'tooLarge' ? t('tooLarge') : kept.reason === 'full' ? t('full') : t('notKept');
  const status = kept.ok
    ? `<p class="notice" role="status">${escapeHtml(kept.kind === 'reply' ? t('keptReply') : t('keptReport'))}</p>`
    : typed.length > 0
      ? `<p class="error" role="status">${escapeHtml(notKept)}</p>`
      : `<p>${escapeHtml(t('sendAgain'))}</p>`;
  // Another account is signed in: "Sign in again" would only lead to that account's pages, so the
  // way on is to sign it out (a plain post, lib/auth/sign-out.ts), or leave at once (quick exit).
  const signIn = isOtherAccounts
    ? `<form method="post" action="/sign-out"><p><button type="submit">${escapeHtml(t('signOutOther'))}</button> <button type="submit" name="then" value="exit" class="secondary">${escapeHtml(t('quickExit'))}</button></p></form>`
    : `<p><a class="button" href="${escapeHtml(`/sign-in${back ? `?callbackUrl=${encodeURIComponent(back)}` : ''}`)}">${escapeHtml(t('signIn'))}</a></p>`;
  const shown = typed.length
    ? `<h2>${escapeHtml(t('typedTitle'))}</h2>
<p>${escapeHtml(t('typedIntro'))}</p>
${typed
  .map(
    (field, i) =>
      `<label for="typed-${i}">${escapeHtml(labelOf(field.name))}</label><textarea id="typed-${i}" readonly rows="${Math.min(12, Math.max(2, field.value.split('\n').length + 1))}">\n${escapeHtml(field.value)}</textarea>`,
  )
  .join('\n')}`
    : '';
  return renderPlainPage({
    title: t('title'),
    lang: locale,
    body: `<h1>${escapeHtml(t('title'))}</h1>
${isOtherAccounts ? `<p class="error">${escapeHtml(t('otherAccount'))}</p>` : `<p>${escapeHtml(t('intro'))}</p>`}
${status}
${signIn}
${shown}`,
  });
}
