import 'server-only';
import { getSqlite } from '@/db/client';

/**
 * A process-wide memo for values computed from public data (the statistics), so /stats costs the
 * same at 100,000 publications as at 1,000 (issue 10, budget 3) while a publication or retraction
 * still shows on the very next request (issue 5).
 *
 * The memo's key is `<generation>:<data_version>`:
 * - `generation` is bumped by publishReport / retractReport after their transaction commits — the
 *   only writers of publications in this process;
 * - SQLite's `PRAGMA data_version` changes whenever another connection (a script, another server
 *   process, a test seeding the database) commits, so their changes are never hidden either.
 * Both live on globalThis, because Next.js may load this module more than once in one process
 * (pages, Server Actions and Route Handlers are bundled separately).
 */
type Holder = { generation: number; memo: Map<string, { key: string; value: unknown }> };
const globalForCache = globalThis as unknown as { __fieldReportsPublicCache?: Holder };

function holder(): Holder {
  globalForCache.__fieldReportsPublicCache ??= { generation: 0, memo: new Map() };
  return globalForCache.__fieldReportsPublicCache;
}

/** Call after a transaction that changed publications has committed. */
export function markPublicDataChanged(): void {
  const h = holder();
  h.generation += 1;
  h.memo.clear();
}

function currentKey(): string {
  const dataVersion = getSqlite().pragma('data_version', { simple: true }) as number;
  return `${holder().generation}:${dataVersion}`;
}

/**
 * `compute()` once per state of the public data, under `name`. The value is shared by every
 * request, so it must be immutable and hold public data only.
 */
export function memoizePublic<T>(name: string, compute: () => T): T {
  const key = currentKey();
  const memo = holder().memo;
  const hit = memo.get(name);
  if (hit && hit.key === key) return hit.value as T;
  const value = compute();
  memo.set(name, { key, value });
  return value;
}
