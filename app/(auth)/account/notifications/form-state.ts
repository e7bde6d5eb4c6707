import type { FieldErrors } from '@/lib/refusal';

/** What the notification settings' forms show after a post (i18n keys of `desk`). */
export type NotificationsFormState = {
  ok: boolean;
  messageKey?: string;
  fieldErrors?: FieldErrors;
  /** What was typed, shown back after a refusal. */
  values?: { address: string; intervalHours: string };
  /** The interval now in force, after a save. */
  intervalHours?: number;
};
