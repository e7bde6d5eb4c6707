/**
 * Languages of the interface. Partner-facing pages and the public site exist in every locale
 * here; editor and admin pages are English at least. Pure module (used by proxy and client code).
 */
import { LOCALES, type Locale } from '@/db/schema';

export { LOCALES, type Locale };
export const DEFAULT_LOCALE: Locale = 'en';
/** Cookie that remembers the language before sign-in (after sign-in the account's choice wins). */
export const LOCALE_COOKIE = 'fr.locale';

/** Any value (cookie, form field, account column) to a supported locale; unknown → English. */
export function toLocale(value: unknown): Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value) ? (value as Locale) : DEFAULT_LOCALE;
}
