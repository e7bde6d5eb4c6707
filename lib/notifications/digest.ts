import 'server-only';
import { and, count, countDistinct, eq, gt, inArray, isNull, lte, max, ne, or, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { AbstractIntlMessages } from 'next-intl';
import { getDb, writeTransaction, type Tx } from '@/db/client';
import { accounts, notificationSettings, reportEvents, reportMessages, reports } from '@/db/schema';
import { AREA_ROLES } from '@/lib/auth/roles';
import { getMailSettings, type MailSettings } from '@/lib/env';
import { loadMessages } from '@/lib/i18n/messages';
import { ASSIGN_EVENT_ACTION } from '@/lib/review/assignment';
import { logger } from '@/lib/log';
import { composeDigestMail, type DigestCounts } from './digest-mail';

/**
 * The editors' e-mail digest (issue 19 item 13): for every editor or admin who turned it on
 * (lib/notifications/settings.ts), at most one e-mail per chosen interval, and only when something
 * new happened since the last one — a report was submitted to the queue (or came back to them), a
 * report was assigned to them by someone else, or a partner replied on a report they hold or
 * nobody holds. The mail holds counts and links only (./digest-mail.ts). Runs hourly on the server's
 * housekeeping timer (./maintenance.ts).
 *
 * Never twice for the same events, across restarts: each account's row keeps the highest
 * `report_events` and `report_messages` ids its last digest counted. The watermarks move forward in
 * a committed transaction BEFORE the mail is handed to the SMTP server; if the server refuses it or
 * cannot be reached, they are put back (only if no later digest moved them), so the events are
 * counted again next time. A crash between the two loses that one digest rather than sending it
 * twice.
 */

/** `report_events.action` values that hand a report to an editor (issue 19 item 3: lib/review/assignment.ts). */
export const ASSIGNMENT_ACTIONS = [ASSIGN_EVENT_ACTION] as const;

/** A digest is due this much before its interval has fully passed (the hourly timer drifts). */
export const DIGEST_SLACK_MS = 10 * 60 * 1000;

/** One digest message as handed to the sender. */
export type DigestMessage = { to: string; subject: string; text: string };
/** Delivers one message or throws (nodemailer's SMTP transport in production; ./digest.test.ts). */
export type DigestSender = (message: DigestMessage) => Promise<void>;

type Due = {
  accountId: number;
  address: string;
  locale: 'en' | 'ko';
  counts: DigestCounts;
  sentAt: Date;
  previous: { lastDigestAt: Date; lastEventId: number; lastMessageId: number };
};

/** Reports that are this editor's to pick up: nobody holds them, or they hold them. */
const heldByNobodyOr = (accountId: number) => or(isNull(reports.claimedBy), eq(reports.claimedBy, accountId));

/**
 * What one account's digest would count between its watermarks and (`toEventId`, `toMessageId`].
 * `newSubmissions` is what makes an awaiting count news (the count alone is not: it was in the last
 * digest too).
 */
function countFor(tx: Tx, accountId: number, window: { fromEventId: number; toEventId: number; fromMessageId: number; toMessageId: number }): DigestCounts & { newSubmissions: number } {
  const eventsInWindow = and(gt(reportEvents.id, window.fromEventId), lte(reportEvents.id, window.toEventId));
  const awaiting = tx.select({ n: count() }).from(reports).where(and(eq(reports.status, 'submitted'), heldByNobodyOr(accountId))).get()?.n ?? 0;
  const newSubmissions =
    tx
      .select({ n: countDistinct(reportEvents.reportId) })
      .from(reportEvents)
      .innerJoin(reports, eq(reports.id, reportEvents.reportId))
      .where(and(eventsInWindow, eq(reportEvents.toStatus, 'submitted'), eq(reports.status, 'submitted'), heldByNobodyOr(accountId)))
      .get()?.n ?? 0;
  const assigned =
    tx
      .select({ n: countDistinct(reportEvents.reportId) })
      .from(reportEvents)
      .innerJoin(reports, eq(reports.id, reportEvents.reportId))
      .where(and(eventsInWindow, inArray(reportEvents.action, [...ASSIGNMENT_ACTIONS]), ne(reportEvents.actorId, accountId), eq(reports.claimedBy, accountId)))
      .get()?.n ?? 0;
  const replies =
    tx
      .select({ n: count() })
      .from(reportMessages)
      .innerJoin(reports, eq(reports.id, reportMessages.reportId))
      .innerJoin(accounts, eq(accounts.id, reportMessages.authorId))
      .where(
        and(
          gt(reportMessages.id, window.fromMessageId),
          lte(reportMessages.id, window.toMessageId),
          eq(reportMessages.isInternal, false),
          eq(accounts.role, 'partner'),
          heldByNobodyOr(accountId),
        ),
      )
      .get()?.n ?? 0;
  return { awaiting, newSubmissions, assigned, replies };
}

/**
 * Inside one write transaction: whether `accountId`'s digest is due at `now` and has news; if so,
 * move its watermarks and `lastDigestAt` forward and answer what to send. Rows of accounts that are
 * no longer editors or admins are deleted (no address of a partner is kept); a deactivated
 * account's row is left alone and sends nothing.
 */
function claimDigest(accountId: number, now: Date): Due | null {
  return writeTransaction((tx) => {
    const row = tx
      .select({
        address: notificationSettings.address,
        intervalHours: notificationSettings.intervalHours,
        lastDigestAt: notificationSettings.lastDigestAt,
        lastEventId: notificationSettings.lastEventId,
        lastMessageId: notificationSettings.lastMessageId,
        role: accounts.role,
        status: accounts.status,
        locale: accounts.locale,
      })
      .from(notificationSettings)
      .innerJoin(accounts, eq(accounts.id, notificationSettings.accountId))
      .where(eq(notificationSettings.accountId, accountId))
      .get();
    if (!row) return null;
    if (!(AREA_ROLES.editor as readonly string[]).includes(row.role)) {
      tx.delete(notificationSettings).where(eq(notificationSettings.accountId, accountId)).run();
      return null;
    }
    if (row.status !== 'active') return null;
    if (now.getTime() - row.lastDigestAt.getTime() < row.intervalHours * 3600_000 - DIGEST_SLACK_MS) return null;
    const toEventId = tx.select({ id: max(reportEvents.id) }).from(reportEvents).get()?.id ?? 0;
    const toMessageId = tx.select({ id: max(reportMessages.id) }).from(reportMessages).get()?.id ?? 0;
    const found = countFor(tx, accountId, { fromEventId: row.lastEventId, toEventId, fromMessageId: row.lastMessageId, toMessageId });
    const hasNews = found.newSubmissions + found.assigned + found.replies > 0;
    tx.update(notificationSettings)
      .set({ lastEventId: toEventId, lastMessageId: toMessageId, ...(hasNews ? { lastDigestAt: now } : {}) })
      .where(eq(notificationSettings.accountId, accountId))
      .run();
    if (!hasNews) return null;
    return {
      accountId,
      address: row.address,
      locale: row.locale,
      counts: { awaiting: found.awaiting, assigned: found.assigned, replies: found.replies },
      sentAt: now,
      previous: { lastDigestAt: row.lastDigestAt, lastEventId: row.lastEventId, lastMessageId: row.lastMessageId },
    };
  });
}

/** Put a digest's watermarks back after the SMTP server did not take it (unless a later digest moved them). */
function releaseDigest(due: Due): void {
  writeTransaction((tx) =>
    tx
      .update(notificationSettings)
      .set(due.previous)
      .where(and(eq(notificationSettings.accountId, due.accountId), eq(notificationSettings.lastDigestAt, due.sentAt)))
      .run(),
  );
}

/** A sender that hands each message to the SMTP server of `settings` (nodemailer), and its close. */
export function smtpSender(settings: MailSettings): { send: DigestSender; close: () => void } {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    auth: settings.auth ?? undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    send: async (message) => {
      await transport.sendMail({ from: settings.from, ...message });
    },
    close: () => transport.close(),
  };
}

/**
 * One round of digests: every opted-in account whose digest is due and has news gets one e-mail.
 * @param now the time of the round (default now)
 * @param mail the mail settings (default lib/env.ts getMailSettings(); null = mail off: nothing is
 *   read, counted or sent)
 * @param send deliver one message (default: nodemailer's SMTP transport to `mail`)
 * @returns how many digests were sent and how many the SMTP server did not take (those are tried
 *   again next round)
 */
export async function runNotificationDigests({
  now = new Date(),
  mail = getMailSettings(),
  send,
}: {
  now?: Date;
  mail?: MailSettings | null;
  send?: DigestSender;
} = {}): Promise<{ sent: number; failed: number }> {
  if (!mail) return { sent: 0, failed: 0 };
  const ids = getDb().select({ id: notificationSettings.accountId }).from(notificationSettings).orderBy(sql`${notificationSettings.accountId}`).all();
  const smtp = send ? null : smtpSender(mail);
  const deliver = send ?? smtp!.send;
  let sent = 0;
  let failed = 0;
  try {
    for (const { id } of ids) {
      const due = claimDigest(id, now);
      if (!due) continue;
      const { subject, text } = composeDigestMail({
        counts: due.counts,
        origin: mail.linkOrigin,
        locale: due.locale,
        messages: loadMessages(due.locale) as unknown as AbstractIntlMessages,
      });
      try {
        await deliver({ to: due.address, subject, text });
        sent += 1;
      } catch (error) {
        releaseDigest(due);
        failed += 1;
        // Never the address or the server's answer (it can quote the address): the error's code only.
        const code = error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : 'unknown';
        logger.warn({ event: 'digest_not_sent', accountId: due.accountId, errorCode: code }, 'a notification digest was not accepted by the SMTP server');
      }
    }
  } finally {
    smtp?.close();
  }
  if (sent > 0) logger.info({ event: 'digests_sent', count: sent }, 'notification digests sent');
  return { sent, failed };
}
