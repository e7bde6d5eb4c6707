import 'server-only';
import { eq, max } from 'drizzle-orm';
import { getDb, writeTransaction, type DB, type Tx } from '@/db/client';
import { notificationSettings, reportEvents, reportMessages } from '@/db/schema';
import { isActorStill, type Actor } from '@/lib/accounts/actor';
import { AREA_ROLES } from '@/lib/auth/roles';
import { fieldErrorsOf } from '@/lib/accounts/schema';
import { recordAuditEvent } from '@/lib/audit/record';
import { refusal, type Refusal } from '@/lib/refusal';
import { DIGEST_INTERVAL_HOURS, notificationSettingsSchema, type DigestIntervalHours } from './schema';

/**
 * An editor's or admin's e-mail digest settings (issue 19 item 13), chosen on their account page
 * (/account/notifications). Off by default; on = a `notification_settings` row with the address;
 * off = no row, so no address is kept. Partners can never turn it on (an address can identify
 * them): every function here checks, against the database, that the caller is an active editor or
 * admin (AREA_ROLES.editor), and a role change to partner deletes the row
 * (lib/accounts/accounts.ts changeRole), as do an admin's password reset and a deactivation
 * (`clearNotificationSettings`): whoever took over an account must not keep receiving its signals.
 * Every change is an audit row, `notifications_changed`, saying what changed ("address changed")
 * but never the address itself (docs/security/README.md "Audit and privacy").
 */

/** The refusal for a partner (or anyone but an active editor or admin). */
export const NOTIFICATIONS_NOT_ALLOWED: Refusal = refusal('desk.notifications.errors.notAllowed');

export type NotificationSettingsView = { enabled: false } | { enabled: true; address: string; intervalHours: DigestIntervalHours };

function viewOf(db: DB | Tx, accountId: number): NotificationSettingsView {
  const row = db.select({ address: notificationSettings.address, intervalHours: notificationSettings.intervalHours }).from(notificationSettings).where(eq(notificationSettings.accountId, accountId)).get();
  if (!row) return { enabled: false };
  const intervalHours = DIGEST_INTERVAL_HOURS.find((h) => h === row.intervalHours) ?? 24;
  return { enabled: true, address: row.address, intervalHours };
}

/** The caller's own settings; NOTIFICATIONS_NOT_ALLOWED unless an active editor or admin. */
export function getNotificationSettings({ actor }: { actor: Actor }): { ok: true; settings: NotificationSettingsView } | Refusal {
  const db = getDb();
  if (!isActorStill(db, actor, AREA_ROLES.editor)) return NOTIFICATIONS_NOT_ALLOWED;
  return { ok: true, settings: viewOf(db, actor.id) };
}

/**
 * Turn the caller's digest on, or change its address or interval.
 * @param input the form's fields ({ address, intervalHours }; lib/notifications/schema.ts)
 * @param now when it is turned on: the first digest may go out one interval later, and counts only
 *   what happens from now on (the watermarks start at the newest event and message)
 * @returns `{ ok: true, settings }`, NOTIFICATIONS_NOT_ALLOWED, or 'desk.notifications.errors.invalid'
 *   with `fieldErrors` (nothing changed)
 */
export function saveNotificationSettings({
  actor,
  input,
  now = new Date(),
}: {
  actor: Actor;
  input: Record<string, unknown>;
  now?: Date;
}): { ok: true; settings: NotificationSettingsView } | Refusal {
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.editor)) return NOTIFICATIONS_NOT_ALLOWED;
    const parsed = notificationSettingsSchema.safeParse(input);
    if (!parsed.success) return refusal('desk.notifications.errors.invalid', fieldErrorsOf(parsed.error));
    const { address, intervalHours } = parsed.data;
    const before = tx
      .select({ address: notificationSettings.address, intervalHours: notificationSettings.intervalHours })
      .from(notificationSettings)
      .where(eq(notificationSettings.accountId, actor.id))
      .get();
    const change = settingsChange(before, { address, intervalHours });
    if (change) recordAuditEvent(tx, { actorId: actor.id, kind: 'notifications_changed', targetAccountId: actor.id, detail: { change, intervalHours } });
    const lastEventId = tx.select({ id: max(reportEvents.id) }).from(reportEvents).get()?.id ?? 0;
    const lastMessageId = tx.select({ id: max(reportMessages.id) }).from(reportMessages).get()?.id ?? 0;
    tx.insert(notificationSettings)
      .values({ accountId: actor.id, address, intervalHours, lastDigestAt: now, lastEventId, lastMessageId, updatedAt: now })
      .onConflictDoUpdate({ target: notificationSettings.accountId, set: { address, intervalHours, updatedAt: now } })
      .run();
    return { ok: true as const, settings: viewOf(tx, actor.id) };
  });
}

/** Turn the caller's digest off: the row and its address are deleted. NOTIFICATIONS_NOT_ALLOWED for partners. */
export function turnOffNotifications({ actor }: { actor: Actor }): { ok: true } | Refusal {
  return writeTransaction((tx) => {
    if (!isActorStill(tx, actor, AREA_ROLES.editor)) return NOTIFICATIONS_NOT_ALLOWED;
    const deleted = tx.delete(notificationSettings).where(eq(notificationSettings.accountId, actor.id)).run().changes;
    if (deleted > 0) recordAuditEvent(tx, { actorId: actor.id, kind: 'notifications_changed', targetAccountId: actor.id, detail: { change: 'turned off' } });
    return { ok: true as const };
  });
}

/**
 * What a save changes, as the audit row says it — never the address itself: 'turned on',
 * 'address changed', 'interval changed', 'address and interval changed', or null (nothing).
 * Addresses are compared as stored (NFC, trimmed; lib/notifications/schema.ts) and ignoring case.
 */
export function settingsChange(
  before: { address: string; intervalHours: number } | undefined,
  after: { address: string; intervalHours: number },
): string | null {
  if (!before) return 'turned on';
  const isNewAddress = before.address.toLowerCase() !== after.address.toLowerCase();
  const isNewInterval = before.intervalHours !== after.intervalHours;
  if (isNewAddress && isNewInterval) return 'address and interval changed';
  if (isNewAddress) return 'address changed';
  return isNewInterval ? 'interval changed' : null;
}

/**
 * Turn an account's digest off and delete its address, inside an admin's change to that account
 * (lib/accounts/accounts.ts: a password reset or a deactivation) — whoever took the account over
 * must not keep receiving its signals, at an address they may have put there. The caller records
 * its own audit row; this returns whether there was a digest to turn off (for that row's detail).
 */
export function clearNotificationSettings(tx: Tx, accountId: number): boolean {
  return tx.delete(notificationSettings).where(eq(notificationSettings.accountId, accountId)).run().changes > 0;
}
