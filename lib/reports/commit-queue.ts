import 'server-only';
import { writeTransaction, type Tx } from '@/db/client';

/**
 * Group commit for writes that arrive together (issue 10, budget 1). With synchronous=FULL every
 * COMMIT fsyncs the WAL, and better-sqlite3 blocks the event loop meanwhile (0.6 ms on a quiet
 * disk, 10–54 ms under I/O load), so one transaction per report caps a server at a few dozen
 * submissions a second. Here, writes queued within BATCH_WINDOW_MS of the first one run in ONE
 * write transaction (BEGIN IMMEDIATE … COMMIT, one fsync), and:
 *
 * - each write runs in its OWN SAVEPOINT (drizzle's nested `tx.transaction`): a write that throws
 *   rolls back its savepoint only and its caller's promise rejects with that error; the others go
 *   on. A write that returns a refusal simply writes nothing;
 * - writes run one after another in the order they were queued, on the one connection, so a later
 *   write sees every earlier write of the batch (two identical posts in one batch: the second
 *   finds the first's clientId and answers as a retry, exactly as in two transactions);
 * - every caller's promise settles only AFTER the batch's COMMIT has returned, i.e. after the
 *   fsync (docs/security/README.md: a report is acknowledged only after its transaction commits, durably). If
 *   BEGIN or COMMIT fails, nothing of the batch is on disk and every promise rejects.
 *
 * The queue is per module instance; flushes are synchronous, so two instances never interleave.
 */

/** How long the first queued write waits for others before the batch is written, in ms. */
export const BATCH_WINDOW_MS = 2;
/** The most writes in one transaction (a larger queue is written in several batches). */
export const MAX_BATCH_SIZE = 100;

type Pending = {
  work: (tx: Tx) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

let queue: Pending[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function flush(): void {
  timer = null;
  while (queue.length > 0) {
    const batch = queue.slice(0, MAX_BATCH_SIZE);
    queue = queue.slice(MAX_BATCH_SIZE);
    let outcomes: Outcome[];
    try {
      outcomes = writeTransaction((tx) =>
        batch.map((item): Outcome => {
          try {
            return { ok: true, value: tx.transaction((savepoint) => item.work(savepoint)) };
          } catch (error) {
            return { ok: false, error };
          }
        }),
      );
    } catch (error) {
      // BEGIN IMMEDIATE or COMMIT failed: the whole batch was rolled back.
      for (const item of batch) item.reject(error);
      continue;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome ? outcome.error : new Error('write batch lost an outcome'));
    });
  }
}

/**
 * Queue `work` for the next group commit and answer its return value once the batch's
 * transaction has COMMITTED (synchronous=FULL: on disk). `work` must be synchronous and runs
 * inside its own savepoint of that transaction; if it throws, only its savepoint is rolled back
 * and the promise rejects with the error. Rejects with SQLite's error when the batch's BEGIN or
 * COMMIT fails (then nothing of the batch was written).
 */
export function enqueueWrite<T>(work: (tx: Tx) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (queue.length >= MAX_BATCH_SIZE) {
      if (timer) clearTimeout(timer);
      flush();
    } else if (!timer) {
      timer = setTimeout(flush, BATCH_WINDOW_MS);
    }
  });
}
