import Link from 'next/link';
import { headers } from 'next/headers';
import { getLocale, getTranslations } from 'next-intl/server';
import { getCurrentAccount } from '@/lib/auth/session';
import { countUnreadForPartner } from '@/lib/messages/thread';
import { countAwaitingEditors } from '@/lib/review/queue';
import { LOCALES } from '@/lib/i18n/config';
import { changeLocale } from './locale-actions';

/** Site header: navigation for the signed-in role, the language switch and sign-out. */
export async function SiteHeader() {
  const [account, t, locale, h] = await Promise.all([getCurrentAccount(), getTranslations('common'), getLocale(), headers()]);
  const returnTo = h.get('x-fr-path') ?? '/';
  const links: { href: string; label: string; badge?: string }[] = [];
  if (!account || account.role !== 'partner') {
    links.push({ href: '/reports', label: t('nav.publicReports') }, { href: '/stats', label: t('nav.statistics') });
  }
  if (account?.role === 'partner') {
    const unread = countUnreadForPartner({ actor: account });
    links.push(
      { href: '/partner', label: t('nav.myReports'), badge: unread ? t('nav.unreadMessages', { count: unread }) : undefined },
      { href: '/partner/reports/new', label: t('nav.newReport') },
      { href: '/account/security', label: t('nav.accountSecurity') },
    );
  }
  if (account && (account.role === 'editor' || account.role === 'admin')) {
    const waiting = countAwaitingEditors({ actor: account });
    links.push({ href: '/editor', label: t('nav.queue'), badge: waiting ? t('nav.awaiting', { count: waiting }) : undefined });
  }
  if (account?.role === 'admin') links.push({ href: '/admin', label: t('nav.accounts') });
  // Every signed-in person manages their own two-step sign-in (recovery codes) there.
  if (account && account.role !== 'partner') links.push({ href: '/account/security', label: t('nav.accountSecurity') });

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link className="brand" href="/">
          {t('appName')}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <Link href={l.href}>{l.label}</Link>
                {l.badge ? <span className="status"> {l.badge}</span> : null}
              </li>
            ))}
          </ul>
        </nav>
        <form action={changeLocale} className="inline-form">
          <input type="hidden" name="returnTo" value={returnTo} />
          <label htmlFor="site-locale" className="visually-hidden">
            {t('language.label')}
          </label>
          <select id="site-locale" name="locale" defaultValue={locale}>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary">
            {t('language.change')}
          </button>
        </form>
        {account ? (
          <form action="/sign-out" method="post" className="inline-form">
            <span>{t('signedInAs', { codeName: account.codeName, role: t(`roles.${account.role}`) })}</span>
            <button type="submit" className="secondary" data-sign-out>
              {t('nav.signOut')}
            </button>
          </form>
        ) : (
          <Link href="/sign-in">{t('nav.signIn')}</Link>
        )}
      </div>
    </header>
  );
}
