import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { canUseArea } from '@/lib/auth/roles';
import { LOCALES } from '@/lib/i18n/config';
import type { Role } from '@/lib/enums';

/** The script-free public pages (route handlers): linked with a plain <a>, never prefetched by Next. */
function isPublicPage(href: string): boolean {
  return href === '/' || href === '/reports' || href === '/stats';
}

/** Who is signed in, as the header names them (null: nobody). */
export type SiteHeaderAccount = { codeName: string; role: Role };

/**
 * Site header: navigation for the signed-in role, the language switch and sign-out. Takes what it
 * shows as props (the root layout reads the session and the counts) and does no data access.
 */
export function SiteHeader({
  account,
  unreadMessages,
  awaitingReports,
  unreadAssigned = 0,
  returnTo,
  changeLocale,
  languageInForm = false,
}: {
  account: SiteHeaderAccount | null;
  /** A partner's unread messages from editors (0 for other roles): a badge on "My reports". */
  unreadMessages: number;
  /** Submitted reports nobody has claimed (0 for roles outside the editors' area): a badge on the queue. */
  awaitingReports: number;
  /** Reports assigned to the editor that the partner replied to or resubmitted since they last opened them. */
  unreadAssigned?: number;
  /** The path the language switch returns to (same-origin; checked again by the action). */
  returnTo: string;
  /** The language switch's Server Action (app/actions.ts). */
  changeLocale: (formData: FormData) => Promise<void>;
  /**
   * True on a page whose form carries its own language switch (the report form): a separate form
   * here would post nothing of what was typed, so the header only points to that switch.
   */
  languageInForm?: boolean;
}) {
  const t = useTranslations('common');
  const locale = useLocale();
  const links: { href: string; label: string; badge?: string }[] = [];
  if (!account || account.role !== 'partner') {
    links.push({ href: '/reports', label: t('nav.publicReports') }, { href: '/stats', label: t('nav.statistics') });
  }
  if (account?.role === 'partner') {
    links.push(
      { href: '/partner', label: t('nav.myReports'), badge: unreadMessages ? t('nav.unreadMessages', { count: unreadMessages }) : undefined },
      { href: '/partner/reports/new', label: t('nav.newReport') },
      { href: '/account/security', label: t('nav.accountSecurity') },
    );
  }
  if (account && canUseArea(account.role, 'editor')) {
    links.push(
      { href: '/editor', label: t('nav.queue'), badge: awaitingReports ? t('nav.awaiting', { count: awaitingReports }) : undefined },
      { href: '/editor?claimed=me', label: t('nav.assignedToMe'), badge: unreadAssigned ? t('nav.unreadForYou', { count: unreadAssigned }) : undefined },
    );
  }
  if (account?.role === 'admin') links.push({ href: '/admin', label: t('nav.accounts') });
  // Every signed-in person manages their own two-step sign-in (recovery codes) there.
  if (account && account.role !== 'partner') links.push({ href: '/account/security', label: t('nav.accountSecurity') });

  return (
    <header className="site-header">
      <div className="site-header-inner">
        {/* Plain links to the public pages: they are route handlers without scripts (docs/decisions/0014-script-free-public-pages.md),
            which Next's client router would only prefetch in vain. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- / is a route handler without scripts (docs/decisions/0014-script-free-public-pages.md) */}
        <a className="brand" href="/">
          {t('appName')}
        </a>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                {isPublicPage(l.href) ? <a href={l.href}>{l.label}</a> : <Link href={l.href}>{l.label}</Link>}
                {l.badge ? <span className="status"> {l.badge}</span> : null}
              </li>
            ))}
          </ul>
        </nav>
        {languageInForm ? (
          <a href="#report-language">{t('language.inForm')}</a>
        ) : (
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
        )}
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
