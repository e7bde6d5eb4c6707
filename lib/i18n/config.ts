/**
 * Languages of the interface. Partner-facing pages and the public site exist in every locale
 * here; editor and admin pages are English at least. Pure module (used by proxy and client code).
 */
// db/enums.ts, not db/schema.ts: the schema would bring drizzle (and Node's Buffer) into every
// client bundle that names a locale.
import { LOCALES, type Locale } from '@/db/enums';

export { LOCALES, type Locale };
export const DEFAULT_LOCALE: Locale = 'en';
/** Cookie that remembers the language before sign-in (after sign-in the account's choice wins). */
export const LOCALE_COOKIE = 'fr.locale';

/** Attributes of the language cookie: a year, whole site, not readable by scripts. */
export const LOCALE_COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 } as const;

/** Whether a value is exactly one of the supported locales. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Any value (cookie, form field, account column) to a supported locale; unknown → English. */
export function toLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}
