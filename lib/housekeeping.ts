/**
 * The one scheduler of start-up housekeeping (orphan photos, lib/photos/maintenance.ts; public
 * photo ids, lib/publishing/maintenance.ts; sign-in audit retention, lib/audit/maintenance.ts): a task runs once
 * when the server starts and then every hour, never while the server is sealed (nothing may be
 * read or touched before the key is given: docs/security/encryption-at-rest.md), and never keeps
 * the process alive. Started from instrumentation.ts (Node.js runtime only).
 */
import 'server-only';
import { isSealed } from '@/lib/at-rest/keys';

/** How often a housekeeping task runs after start-up, in milliseconds (1 hour). */
export const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

const globalForHousekeeping = globalThis as unknown as { __fieldReportsHousekeeping?: Map<string, NodeJS.Timeout> };

/**
 * Run `task` now and every HOUSEKEEPING_INTERVAL_MS, skipping runs while sealed. A second call with
 * the same name does nothing (Next may evaluate instrumentation more than once).
 * @param name a stable name for the task
 * @param task must catch and log its own errors (a rejection is ignored, never thrown)
 */
export function startHourlyHousekeeping(name: string, task: () => void | Promise<void>): void {
  const timers = (globalForHousekeeping.__fieldReportsHousekeeping ??= new Map());
  if (timers.has(name)) return;
  const runOnce = () => {
    if (isSealed()) return;
    void Promise.resolve()
      .then(task)
      .catch(() => undefined);
  };
  const timer = setInterval(runOnce, HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  timers.set(name, timer);
  runOnce();
}
