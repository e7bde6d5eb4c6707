/**
 * What a digest e-mail says (issue 19 item 13): counts and links only — never a title, place, code
 * name, partner name or any text of a report or message, in the subject or the body. Plain text
 * in the account's language (the `desk.mail` messages). Pure: the caller passes the catalogue.
 */
import { createTranslator, type AbstractIntlMessages } from 'next-intl';
import type { Locale } from '@/lib/i18n/config';
import { EMPTY_QUEUE_FILTERS, queueHref } from '@/lib/review/schema';

/** What the digest counts for one account. */
export type DigestCounts = {
  /** Reports submitted and waiting in the queue (unclaimed, or returned to this editor), now. */
  awaiting: number;
  /** Reports assigned to this editor by someone else since the last digest. */
  assigned: number;
  /** Partners' messages since the last digest on reports this editor holds or nobody holds. */
  replies: number;
};

/**
 * The links a digest carries: the moderation queue filtered to submitted reports, the queue of
 * reports held by the reader ("assigned to me"; the queue's own URL parameters,
 * lib/review/schema.ts queueHref), and the account's settings page.
 */
export function digestLinks(origin: string): { awaiting: string; mine: string; settings: string } {
  return {
    awaiting: `${origin}${queueHref({ ...EMPTY_QUEUE_FILTERS, status: 'submitted' })}`,
    mine: `${origin}${queueHref({ ...EMPTY_QUEUE_FILTERS, claim: 'me' })}`,
    settings: `${origin}/account/notifications`,
  };
}

/**
 * The subject and plain-text body of one digest.
 * @param counts what to say; a zero count's line is left out, the awaiting line always stays
 * @param origin the site's origin the links start with (MailSettings.linkOrigin)
 * @param messages the account language's catalogue (lib/i18n/messages.ts loadMessages)
 */
export function composeDigestMail({
  counts,
  origin,
  locale,
  messages,
}: {
  counts: DigestCounts;
  origin: string;
  locale: Locale;
  messages: AbstractIntlMessages;
}): { subject: string; text: string } {
  // Keys of a catalogue passed in at run time: typed as plain strings.
  const t = createTranslator({ locale, messages, namespace: 'desk' }) as unknown as (key: string, values?: Record<string, number>) => string;
  const links = digestLinks(origin);
  const lines = [t('mail.intro'), '', t('mail.awaiting', { count: counts.awaiting }), links.awaiting];
  if (counts.assigned > 0) lines.push('', t('mail.assigned', { count: counts.assigned }), links.mine);
  if (counts.replies > 0) lines.push('', t('mail.replies', { count: counts.replies }), links.mine);
  lines.push('', '--', t('mail.footer'), links.settings, '');
  return { subject: t('mail.subject'), text: lines.join('\n') };
}
