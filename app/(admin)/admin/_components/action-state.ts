import type { FieldErrors } from '@/lib/refusal';

/**
 * State returned by the admin Server Actions (docs/style.md habit 4): a lib/refusal.ts refusal
 * (`messageKey`, an i18n key; `fieldErrors`) or a confirmation.
 */
export type AdminActionState = {
  ok: boolean;
  /** i18n key of a refusal. */
  messageKey?: string;
  fieldErrors?: FieldErrors;
  /** Plain English confirmation for the admin (admin pages are English). */
  done?: string;
  /** A one-time link, shown once right after it was made. */
  link?: { url: string; expiresAt: string; codeName: string };
  /** Echo of non-secret form values after a refusal (so the form keeps them). */
  values?: Record<string, string>;
};

export const INITIAL_ADMIN_STATE: AdminActionState = { ok: false };

/** The admin actions' answer to a call our pages never make, and to a caller who is not an admin. */
export const ADMIN_NOT_ALLOWED: AdminActionState = { ok: false, messageKey: 'accounts.errors.notAllowed' };

/** What every admin action answers besides its own results (lib/http/area-action.ts options). */
export const ADMIN_ANSWERS = { refused: ADMIN_NOT_ALLOWED, signedOut: ADMIN_NOT_ALLOWED } as const;

/**
 * A text field of a posted form, cut to `max` characters ('' when missing or a file): the data
 * layer validates it.
 */
export function formText(formData: FormData, name: string, max: number): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/**
 * The refusal of an action that cannot be undone, posted without its confirming tick
 * (lib/confirmation.ts): nothing was changed.
 */
export const CONFIRM_REQUIRED: AdminActionState = {
  ok: false,
  messageKey: 'accounts.errors.confirmRequired',
  fieldErrors: { confirm: ['accounts.errors.confirmRequired'] },
};
