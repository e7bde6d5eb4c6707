/**
 * The browser's copy of a report form (localStorage), kept while a change is not yet saved on the
 * server — offline, or after the session expired — and offered back to the server when the form
 * opens again. Keys carry the account id, so one account never sees another's copy on a shared
 * device; sign-out removes them (here, and the sign-out route's Clear-Site-Data: "storage").
 * Browser-only; every access tolerates a missing or full storage (private mode) by doing nothing.
 */
import type { ReportFormValues } from '@/lib/reports/form-values';

const PREFIX = 'fr.report-draft.';

/** One kept copy: the values and when they were kept (ms, the device's clock). */
export type LocalCopy = { values: ReportFormValues; keptAt: number };

function keyFor(accountId: number, clientId: string): string {
  return `${PREFIX}${accountId}.${clientId}`;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** Keeps (or replaces) the copy of one report form. */
export function keepLocalCopy(accountId: number, values: ReportFormValues): void {
  try {
    storage()?.setItem(keyFor(accountId, values.clientId), JSON.stringify({ values, keptAt: Date.now() } satisfies LocalCopy));
  } catch {
    // Storage full or refused: the server copy is all there is.
  }
}

/** Removes the copy of one report form. */
export function forgetLocalCopy(accountId: number, clientId: string): void {
  try {
    storage()?.removeItem(keyFor(accountId, clientId));
  } catch {
    // Nothing to do.
  }
}

function isLocalCopy(value: unknown): value is LocalCopy {
  if (typeof value !== 'object' || value === null) return false;
  const copy = value as Partial<LocalCopy>;
  return typeof copy.keptAt === 'number' && typeof copy.values === 'object' && copy.values !== null && typeof copy.values.clientId === 'string';
}

/** Every copy kept for this account, newest first. */
export function readLocalCopies(accountId: number): LocalCopy[] {
  const store = storage();
  if (!store) return [];
  const copies: LocalCopy[] = [];
  const prefix = `${PREFIX}${accountId}.`;
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (!key?.startsWith(prefix)) continue;
    try {
      const parsed: unknown = JSON.parse(store.getItem(key) ?? 'null');
      if (isLocalCopy(parsed)) copies.push(parsed);
    } catch {
      // A damaged copy is skipped.
    }
  }
  return copies.sort((a, b) => b.keptAt - a.keptAt);
}

/** Removes every copy kept for this account (before sign-out). */
export function forgetAllLocalCopies(accountId: number): void {
  const store = storage();
  if (!store) return;
  const prefix = `${PREFIX}${accountId}.`;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
