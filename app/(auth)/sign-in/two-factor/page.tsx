import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { getCurrentAccount } from '@/lib/auth/session';
import { ROLE_HOMES } from '@/lib/auth/roles';
import { readPendingSignIn } from '@/lib/auth/pending-cookie';
import { pickMessages } from '@/lib/i18n/messages';
import { TwoFactorForm } from './two-factor-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('twoFactor.title') };
}

/** Second sign-in step: a code from the authenticator app or a recovery code (works without JS). */
export default async function TwoFactorPage() {
  const account = await getCurrentAccount();
  if (account) redirect(ROLE_HOMES[account.role]);
  const pending = await readPendingSignIn();
  const t = await getTranslations('auth');
  if (!pending || pending.stage !== 'verify') {
    return (
      <>
        <h1>{t('twoFactor.title')}</h1>
        <p className="notice warn">{t('twoFactor.expired')}</p>
        <p>
          <Link href="/sign-in">{t('twoFactor.startAgain')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('twoFactor.title')}</h1>
      <p>{t('twoFactor.intro')}</p>
      <NextIntlClientProvider messages={pickMessages(await getMessages(), ['auth'])}>
        <TwoFactorForm />
      </NextIntlClientProvider>
    </>
  );
}
