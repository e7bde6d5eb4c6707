import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb, writeTransaction } from '@/db/client';
import { accounts, type Locale } from '@/db/schema';

/**
 * Remember an account's interface language. `chosen` (default true): the partner chose it (the
 * language switch, or a language chosen in the browser before signing in); false: the language
 * only follows the browser's `Accept-Language` (a never-chosen account, lib/i18n/README.md), and an
 * account already marked as chosen stays so. The caller passes its own session account id.
 */
export function setAccountLocale({ accountId, locale, chosen = true }: { accountId: number; locale: Locale; chosen?: boolean }): void {
  writeTransaction((tx) =>
    tx
      .update(accounts)
      .set(chosen ? { locale, localeChosen: true, updatedAt: new Date() } : { locale, updatedAt: new Date() })
      .where(eq(accounts.id, accountId))
      .run(),
  );
}

/** An account's interface language, or null when there is no such account. */
export function getAccountLocale({ accountId }: { accountId: number }): Locale | null {
  return getAccountLocaleChoice({ accountId })?.locale ?? null;
}

/**
 * An account's interface language and whether it was ever chosen (false: it follows the browser's
 * `Accept-Language` at sign-in), or null when there is no such account.
 */
export function getAccountLocaleChoice({ accountId }: { accountId: number }): { locale: Locale; chosen: boolean } | null {
  const row = getDb().select({ locale: accounts.locale, chosen: accounts.localeChosen }).from(accounts).where(eq(accounts.id, accountId)).get();
  return row ? { locale: row.locale, chosen: row.chosen } : null;
}
