import type { Metadata } from 'next';
import Link from 'next/link';
import { NextIntlClientProvider } from 'next-intl';
import { getFormatter, getMessages, getTranslations } from 'next-intl/server';
import { describeInvitation } from '@/lib/accounts/invitations';
import { DATE_TIME_UTC } from '@/lib/i18n/formats';
import { pickMessages } from '@/lib/i18n/messages';
import { SetPasswordForm } from './set-password-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('invite.title'), referrer: 'no-referrer' };
}

/**
 * /invite/<token>: a one-time link where a person sets their own password. Unknown, expired and
 * used links get a clear message and change nothing. Partner-facing: English and Korean.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const t = await getTranslations('auth');
  const link = describeInvitation({ token });
  if (!link.ok) {
    return (
      <>
        <h1>{t('invite.unusableTitle')}</h1>
        <p className="notice warn">{t(link.messageKey.replace(/^auth\./, ''))}</p>
        <p>
          <Link href="/sign-in">{t('invite.goToSignIn')}</Link>
        </p>
      </>
    );
  }
  const expires = (await getFormatter()).dateTime(link.expiresAt, DATE_TIME_UTC);
  return (
    <>
      <h1>{t('invite.title')}</h1>
      <p>{t('invite.intro', { codeName: link.codeName })}</p>
      <p className="field-hint">{t('invite.expiresAt', { time: expires })}</p>
      <NextIntlClientProvider messages={pickMessages(await getMessages(), ['auth'])}>
        <SetPasswordForm token={token} codeName={link.codeName} />
      </NextIntlClientProvider>
    </>
  );
}
