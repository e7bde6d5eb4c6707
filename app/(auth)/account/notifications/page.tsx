import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations } from 'next-intl/server';
import { requireArea } from '@/lib/auth/session';
import { getMailSettings } from '@/lib/env';
import { pickMessages } from '@/lib/i18n/messages';
import { getNotificationSettings } from '@/lib/notifications/settings';
import { NotificationsForm } from './notifications-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('desk'))('notifications.title') };
}

/**
 * /account/notifications: an editor's or admin's e-mail digest (issue 19 item 13) — off by default;
 * an address and an interval turn it on, "turn off" deletes the address. Partners get 403: they can
 * never opt in (an address can identify them). Says so when the server has no mail settings.
 */
export default async function NotificationsPage() {
  const account = await requireArea('editor');
  const result = getNotificationSettings({ actor: account });
  if (!result.ok) throw new Error('notification settings refused an editor');
  const { settings } = result;
  const t = await getTranslations('desk.notifications');
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <p className={settings.enabled ? 'notice ok' : 'notice'}>
        {settings.enabled ? t('on', { address: settings.address, interval: t(`intervals.${settings.intervalHours}`) }) : t('off')}
      </p>
      {getMailSettings() ? null : <p className="notice warn">{t('mailOff')}</p>}
      <NextIntlClientProvider messages={pickMessages(await getMessages(), ['desk'])}>
        <NotificationsForm current={settings.enabled ? { address: settings.address, intervalHours: settings.intervalHours } : null} />
      </NextIntlClientProvider>
    </>
  );
}
