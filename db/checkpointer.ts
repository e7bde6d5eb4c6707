/**
 * WAL checkpoints off the event loop, nearly all of them (issue 20, budget 1a;
 * docs/decisions/0017-checkpoints-off-the-event-loop.md).
 *
 * SQLite copies the write-ahead log back into the database file in a checkpoint. Left to itself it
 * does so inside the COMMIT that takes the log past 1,000 pages, on the connection that committed
 * — here the server's one connection, on the event loop — and every request waits: a checkpoint
 * reads each logged page, decrypts it, encrypts it again for the database file and fsyncs the
 * file: 24–38 ms at 100,000 reports in the benchmark's profile; with no checkpoints at all,
 * submissions went from 138 to 155 a second.
 *
 * A checkpointer is a worker thread with a connection of its own to the same file. Every
 * CHECKPOINT_INTERVAL_MS it runs `PRAGMA wal_checkpoint(PASSIVE)`, which copies what the log holds
 * without taking the write lock or waiting for readers, so the server's writes go on meanwhile.
 * The server's own automatic checkpoint stays as it is (the default 1,000 pages): it now finds
 * nearly every page copied already and only restarts the log, so the log's bounds
 * (`journal_size_limit`, budget 5) are exactly what they were, and if the worker ever stops, the
 * server checkpoints alone as before. Nothing about durability changes: a commit is on disk when
 * the WAL is (synchronous=FULL on the server's connection); a checkpoint only moves committed pages.
 *
 * The worker runs no event loop of its own: it sleeps on a shared word (Atomics.wait) between
 * checkpoints, so {@link stop} is synchronous — it wakes the worker, which closes its connection
 * and says so on the same word — and db/client.ts closeDatabase can then checkpoint and remove the
 * log as a clean stop must (issue 16 item 16). No 'server-only' import: server.ts loads db/client.ts.
 */
import { Worker } from 'node:worker_threads';

/** How often the worker copies the log into the database file, in ms. */
export const CHECKPOINT_INTERVAL_MS = 100;

/** The longest {@link Checkpointer.stop} waits for a checkpoint in progress to finish, in ms. */
const STOP_WAIT_MS = 10_000;

/** The control word's states (Int32Array index 0, shared with the worker). */
const RUNNING = 0;
const STOP = 1;
const STOPPED = 2;

/**
 * The worker's code (CommonJS, run with `eval`: nothing for Next's bundler to trace, and no file
 * to ship beside the bundle). It opens the file, runs the pragmas it was given (the key first),
 * then checkpoints until told to stop. An error opening the file ends the worker: the server's own
 * checkpoints go on.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
let db = null;
try {
  if (Atomics.load(control, 0) === ${RUNNING}) {
    const Database = require(workerData.driver);
    db = new Database(workerData.file, { fileMustExist: true });
    for (const pragma of workerData.pragmas) db.pragma(pragma);
  }
  while (db && Atomics.wait(control, 0, ${RUNNING}, workerData.intervalMs) !== 'not-equal' && Atomics.load(control, 0) === ${RUNNING}) {
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      if (result && result.busy === 0) Atomics.add(control, 1, 1);
    } catch {
      // Busy (the server checkpoints at this moment) or a transient error: try again next time.
    }
  }
} catch {
  // Could not open the file: the server's own checkpoints go on.
} finally {
  try { if (db) db.close(); } catch {}
  Atomics.store(control, 0, ${STOPPED});
  Atomics.notify(control, 0);
}
`;

/** A running checkpointer. */
export type Checkpointer = {
  /** Checkpoints the worker has completed so far (not counting those SQLite answered busy). */
  checkpoints(): number;
  /** Whether the worker is still checkpointing (false once stopped, or when it could not open the file). */
  running(): boolean;
  /**
   * Stop the worker and wait (synchronously, ≤ 10 s) until it has closed its connection. Safe to
   * call more than once.
   * @returns false when the worker did not confirm within the wait (it is then terminated)
   */
  stop(): boolean;
};

/**
 * Start a checkpointer for the database `file`.
 * @param file the database file (it must exist: the server's connection opened it first)
 * @param pragmas run on the worker's connection right after it opens, in order: the key pragmas
 *   of db/client.ts applyDatabaseKey for an encrypted file, then `synchronous = FULL` (the
 *   checkpoint fsyncs the database file as the server's own would)
 * @param intervalMs pause between checkpoints, in ms (default CHECKPOINT_INTERVAL_MS)
 * @param driver the SQLite driver module the worker requires (default `better-sqlite3`, which
 *   package.json maps to SQLite3 Multiple Ciphers)
 */
export function startCheckpointer(
  file: string,
  pragmas: readonly string[],
  { intervalMs = CHECKPOINT_INTERVAL_MS, driver = 'better-sqlite3' }: { intervalMs?: number; driver?: string } = {},
): Checkpointer {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, pragmas: [...pragmas], intervalMs, driver, control: control.buffer } });
  // Never keeps the process alive, and an error in it is never the server's.
  worker.unref();
  worker.on('error', () => Atomics.store(control, 0, STOPPED));
  let stopped = false;
  return {
    checkpoints: () => Atomics.load(control, 1),
    running: () => !stopped && Atomics.load(control, 0) === RUNNING,
    stop() {
      if (stopped) return true;
      stopped = true;
      if (Atomics.compareExchange(control, 0, RUNNING, STOP) === RUNNING) Atomics.notify(control, 0);
      // The worker may not have started yet: it then sees STOP before opening anything.
      const deadline = Date.now() + STOP_WAIT_MS;
      while (Atomics.load(control, 0) !== STOPPED && Date.now() < deadline) Atomics.wait(control, 0, STOP, Math.max(1, deadline - Date.now()));
      const confirmed = Atomics.load(control, 0) === STOPPED;
      void worker.terminate();
      return confirmed;
    },
  };
}
