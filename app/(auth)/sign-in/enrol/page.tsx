import type { Metadata } from 'next';
import QRCode from 'qrcode';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { readPendingSignIn } from '@/lib/auth/pending-cookie';
import { totpUri } from '@/lib/accounts/totp';
import { pickMessages } from '@/lib/i18n/messages';
import { enrolAction } from '../actions';
import { EnrolForm, type Enrolment } from './enrol-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth'))('enrol.title') };
}

/**
 * Enrolment in two-factor sign-in, for editors and admins without it (and partners who choose it).
 * The QR code is drawn here on the server as a data: URL — no third-party service sees the secret.
 * The form is rendered even when the pending step is gone, so that the recovery codes returned by
 * the enrolment action stay on screen (with and without JavaScript).
 */
export default async function EnrolPage() {
  const pending = await readPendingSignIn();
  let enrolment: Enrolment | null = null;
  if (pending?.stage === 'enrol' && pending.secret) {
    const uri = totpUri({ secret: pending.secret, codeName: pending.codeName });
    const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 5 });
    enrolment = { qrDataUrl, secret: pending.secret };
  }
  return (
    <NextIntlClientProvider messages={pickMessages(await getMessages(), ['auth'])}>
      <EnrolForm enrolment={enrolment} action={enrolAction} />
    </NextIntlClientProvider>
  );
}
