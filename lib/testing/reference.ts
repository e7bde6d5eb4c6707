/**
 * Reference-list changes for tests (Vitest only), made as an admin makes them on the lists page:
 * through lib/reference/lists.ts, by a fresh admin account, audited like any other.
 */
import { mergeReferenceEntry, retireReferenceEntry } from '@/lib/reference/lists';
import { createTestAccount } from './accounts';

type List = 'places' | 'goods' | 'agencies';

/** Retire entry `id` of `list`. Throws if the data layer refuses. */
export function retireEntry(list: List, id: string): void {
  const done = retireReferenceEntry({ actor: createTestAccount('admin'), list, id });
  if (!done.ok) throw new Error(`retiring ${list}/${id} refused: ${done.messageKey}`);
}

/** Merge entry `id` of `list` into `intoId`. Throws if the data layer refuses. */
export function mergeEntry(list: List, id: string, intoId: string): void {
  const done = mergeReferenceEntry({ actor: createTestAccount('admin'), list, id, intoId });
  if (!done.ok) throw new Error(`merging ${list}/${id} into ${intoId} refused: ${done.messageKey}`);
}
