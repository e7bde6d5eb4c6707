import type { Metadata } from 'next';
import Link from 'next/link';
import QRCode from 'qrcode';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireAccount } from '@/lib/auth/session';
import { readPendingSignIn } from '@/lib/auth/pending-cookie';
import { totpUri } from '@/lib/accounts/totp';
import { twoFactorStatus } from '@/lib/accounts/two-factor';
import { pickMessages } from '@/lib/i18n/messages';
import { EnrolForm, type Enrolment } from '../../sign-in/enrol/enrol-form';
import { settingsEnrolAction, startSettingsEnrolmentAction } from './actions';
import { ReplaceCodesForm } from './replace-codes-form';
import { TurnOffForm } from './turn-off-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('settings.title') };
}

/**
 * /account/security: a signed-in person's two-step sign-in. Partners may turn it on (QR code drawn
 * here, key also as text) and off; editors and admins see that it is on and required. Anyone with
 * it on may replace their recovery codes. English and
 * Korean; plain forms that work without JavaScript.
 */
export default async function SecurityPage() {
  const account = await requireAccount();
  const status = twoFactorStatus({ accountId: account.id });
  if (!status) throw new Error('signed-in account not found');
  const t = await getTranslations('auth');
  const pending = await readPendingSignIn('account');
  let enrolment: Enrolment | null = null;
  if (!status.enabled && pending?.accountId === account.id && pending.stage === 'enrol' && pending.secret) {
    const qrDataUrl = await QRCode.toDataURL(totpUri({ secret: pending.secret, codeName: account.codeName }), { errorCorrectionLevel: 'M', margin: 2, scale: 5 });
    enrolment = { qrDataUrl, secret: pending.secret };
  }
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <p className={status.enabled ? 'notice ok' : 'notice'}>
        {status.enabled ? t('settings.on', { count: status.unusedRecoveryCodes }) : t('settings.off')}
      </p>
      {status.enabled && status.required ? <p>{t('settings.required')}</p> : null}
      <NextIntlClientProvider messages={pickMessages(await getMessages(), ['auth'])}>
        <EnrolForm enrolment={enrolment} action={settingsEnrolAction} idle="nothing" restartHref="/account/security" headingLevel={2} />
        {!status.enabled && !enrolment ? (
          <form action={startSettingsEnrolmentAction}>
            <button type="submit">{t('settings.start')}</button>
          </form>
        ) : null}
        <ReplaceCodesForm available={status.enabled} />
        <TurnOffForm available={status.enabled && !status.required} />
      </NextIntlClientProvider>
      {account.role === 'partner' ? null : (
        <p>
          <Link href="/account/notifications">{(await getTranslations('desk'))('notifications.title')}</Link>
        </p>
      )}
    </>
  );
}
