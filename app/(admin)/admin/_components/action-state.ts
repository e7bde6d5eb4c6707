/** State returned by the admin Server Actions (docs/style.md habit 4); messages are i18n keys. */
export type AdminActionState = {
  ok: boolean;
  /** i18n key of a refusal. */
  messageKey?: string;
  fieldErrors?: Record<string, string[]>;
  /** Plain English confirmation for the admin (admin pages are English). */
  done?: string;
  /** A one-time link, shown once right after it was made. */
  link?: { url: string; expiresAt: string; codeName: string };
  /** Echo of non-secret form values after a refusal (so the form keeps them). */
  values?: Record<string, string>;
};

export const INITIAL_ADMIN_STATE: AdminActionState = { ok: false };
