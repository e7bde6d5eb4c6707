import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb, writeTransaction } from '@/db/client';
import { accounts, type Locale } from '@/db/schema';

/** Remember an account's interface language. The caller passes its own session account id. */
export function setAccountLocale({ accountId, locale }: { accountId: number; locale: Locale }): void {
  writeTransaction((tx) => tx.update(accounts).set({ locale, updatedAt: new Date() }).where(eq(accounts.id, accountId)).run());
}

/** An account's interface language, or null when there is no such account. */
export function getAccountLocale({ accountId }: { accountId: number }): Locale | null {
  return getDb().select({ locale: accounts.locale }).from(accounts).where(eq(accounts.id, accountId)).get()?.locale ?? null;
}
