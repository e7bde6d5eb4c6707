import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import { canUseArea } from '@/lib/auth/roles';
import { getCurrentAccount } from '@/lib/auth/session';
import { countUnreadForPartner } from '@/lib/messages/thread';
import { countUnreadForAssignee } from '@/lib/review/assignment';
import { countAwaitingEditors } from '@/lib/review/queue';
import { SiteHeader } from './_components/site-header';
import { changeLocale } from './actions';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('common');
  // No Open Graph tags that could carry report content: public report pages set their own.
  return { title: { default: t('appName'), template: `%s · ${t('appName')}` }, robots: { index: true } };
}

/** The partner's report form pages: the form has its own language switch (report-form.tsx). */
const REPORT_FORM_PATH = /^\/partner\/reports\/(?:new|\d+\/edit)(?:[?#]|$)/;

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * Every page's frame: the skip link, the site header and <main>. Reads what the header shows (who
 * is signed in, a partner's unread messages, the reports awaiting an editor, an editor's assigned
 * reports with news from the partner, the current path from
 * proxy.ts's `x-fr-path`) and hands it down as props.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const [locale, messages, t, account, h] = await Promise.all([getLocale(), getMessages(), getTranslations('common'), getCurrentAccount(), headers()]);
  const unreadMessages = account?.role === 'partner' ? countUnreadForPartner({ actor: account }) : 0;
  const isEditor = account !== null && canUseArea(account.role, 'editor');
  const awaitingReports = isEditor ? countAwaitingEditors({ actor: account }) : 0;
  const unreadAssigned = isEditor ? countUnreadForAssignee({ actor: account }) : 0;
  return (
    <html lang={locale}>
      <body>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        {/* Client components get only the shared namespace here; pages add what they need. */}
        <NextIntlClientProvider locale={locale} messages={{ common: messages.common ?? {} }}>
          <SiteHeader
            account={account ? { codeName: account.codeName, role: account.role } : null}
            unreadMessages={unreadMessages}
            awaitingReports={awaitingReports}
            unreadAssigned={unreadAssigned}
            returnTo={h.get('x-fr-path') ?? '/'}
            changeLocale={changeLocale}
            languageInForm={account?.role === 'partner' && REPORT_FORM_PATH.test(h.get('x-fr-path') ?? '')}
          />
          <main id="main">{children}</main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
