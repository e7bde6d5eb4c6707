/**
 * The e-mail digest's settings form (issue 19 item 13): an address and how often at most. Pure:
 * the page, its Server Action and the data layer share it. Messages are i18n keys of the `desk`
 * namespace (lib/i18n/messages/<locale>/desk.json).
 */
import '@/lib/zod-setup';
import { z } from 'zod';

/** The digest intervals an editor may choose, in hours: hourly, every four hours, daily. */
export const DIGEST_INTERVAL_HOURS = [1, 4, 24] as const;
export type DigestIntervalHours = (typeof DIGEST_INTERVAL_HOURS)[number];

/** Longest address accepted (RFC 5321 §4.5.3.1.3: a path is at most 256 octets, 254 of address). */
export const ADDRESS_MAX = 254;

/**
 * The settings form: `address` (NFC, trimmed, ≤ ADDRESS_MAX, an e-mail address; refused with
 * desk.notifications.errors.address) and `intervalHours` ('1' | '4' | '24';
 * desk.notifications.errors.interval).
 */
export const notificationSettingsSchema = z.object({
  address: z
    .unknown()
    .transform((raw) => (typeof raw === 'string' ? raw.normalize('NFC').trim() : ''))
    .pipe(z.email({ error: 'desk.notifications.errors.address' }).max(ADDRESS_MAX, { error: 'desk.notifications.errors.address' })),
  intervalHours: z.unknown().transform((raw, ctx): DigestIntervalHours => {
    const found = DIGEST_INTERVAL_HOURS.find((h) => String(h) === (typeof raw === 'string' ? raw.trim() : String(raw)));
    if (found !== undefined) return found;
    ctx.addIssue({ code: 'custom', message: 'desk.notifications.errors.interval' });
    return z.NEVER;
  }),
});
export type NotificationSettingsInput = z.output<typeof notificationSettingsSchema>;
