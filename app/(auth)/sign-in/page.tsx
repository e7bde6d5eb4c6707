import { redirect } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { getCurrentAccount } from '@/lib/auth/session';
import { ROLE_HOMES, safeCallbackPath } from '@/lib/auth/roles';
import { SignInForm } from './sign-in-form';

export const metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const account = await getCurrentAccount();
  if (account) redirect(callbackUrl ?? ROLE_HOMES[account.role]);
  const t = await getTranslations('auth');
  const messages = await getMessages();
  return (
    <>
      <h1>{t('signIn.title')}</h1>
      {params.signedOut === '1' ? <p className="notice ok">{t('signIn.signedOut')}</p> : null}
      <NextIntlClientProvider messages={{ auth: messages.auth ?? {} }}>
        <SignInForm callbackUrl={callbackUrl} />
      </NextIntlClientProvider>
    </>
  );
}
