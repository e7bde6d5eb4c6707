import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { getCurrentAccount, getSessionCookieName } from '@/lib/auth/session';
import { ROLE_HOMES, safeCallbackPath } from '@/lib/auth/roles';
import { readKeptPostToken } from '@/lib/auth/kept-post-cookie';
import { peekKeptPost } from '@/lib/reports/kept-posts';
import { pickMessages } from '@/lib/i18n/messages';
import { discardKeptPostAction } from './actions';
import { SignInForm } from './sign-in-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('signIn.title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const account = await getCurrentAccount();
  if (account) redirect(callbackUrl ?? ROLE_HOMES[account.role]);
  // A session cookie that no longer resolves: deactivated, role or password changed, or expired.
  const hadSession = (await cookies()).has(getSessionCookieName());
  // A post sent after the session ended, kept for this sign-in (app/(auth)/sign-in/kept/route.ts).
  const kept = peekKeptPost({ token: await readKeptPostToken() });
  const t = await getTranslations('auth');
  const messages = await getMessages();
  return (
    <>
      <h1>{t('signIn.title')}</h1>
      {params.signedOut === '1' ? <p className="notice ok">{t('signIn.signedOut')}</p> : null}
      {params.passwordSet === '1' ? <p className="notice ok">{t('signIn.passwordSet')}</p> : null}
      {hadSession && params.signedOut !== '1' ? <p className="notice warn">{t('signIn.sessionEnded')}</p> : null}
      {params.keptDiscarded === '1' ? <p className="notice ok">{t('signIn.keptDiscarded')}</p> : null}
      {kept ? (
        <form action={discardKeptPostAction} className="notice">
          <p role="status">{kept.kind === 'reply' ? t('signIn.keptReply') : t('signIn.keptReport')}</p>
          <button type="submit" className="secondary">
            {t('signIn.discardKept')}
          </button>
        </form>
      ) : null}
      <NextIntlClientProvider messages={pickMessages(messages, ['auth'])}>
        <SignInForm callbackUrl={callbackUrl} />
      </NextIntlClientProvider>
    </>
  );
}
