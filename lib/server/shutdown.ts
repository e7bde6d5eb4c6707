/**
 * What the server does on SIGTERM or SIGINT (issue 16 item 16; docs/architecture.md "The server"):
 * drain (lib/server/http-server.ts: no new connections, requests in flight finish within
 * SHUTDOWN_GRACE_SECONDS), close Next, close the database cleanly (db/client.ts closeDatabase:
 * WAL checkpointed, every connection closed), exit 0. A second signal exits at once.
 *
 * "Second" means one that comes later than DUPLICATE_SIGNAL_WINDOW_MS after the first: a Ctrl-C in
 * a terminal reaches both `npm` (which forwards it) and the server, and a launcher that forwards
 * SIGTERM to its child may be signalled together with it — those copies are the same request.
 *
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
import type { DrainResult } from './http-server';

export const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

/** 128 + the signal's number, as a shell reports a process the signal ended. */
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

type SignalTarget = {
  on(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
};

/**
 * Install the handlers. The log lines name counts and durations only (no address, no URL).
 * @param target where the signals arrive (`process`; an EventEmitter in tests)
 * @param drain the HTTP server's drain
 * @param inFlight requests being answered now (for the first log line)
 * @param graceMs the drain's bound, for the log line
 * @param closeApp Next's `app.close()`; a failure is logged and the shutdown goes on
 * @param closeDatabase db/client.ts closeDatabase; a failure is logged and the exit code is 1
 * @param exit `process.exit`
 * @param now clock in milliseconds (tests pass their own)
 * @returns a promise that settles once the shutdown has called `exit` (never, without a signal)
 */
export function handleShutdownSignals({
  target,
  drain,
  inFlight,
  graceMs,
  closeApp,
  closeDatabase,
  exit,
  log = (line) => console.log(line),
  logError = (line, error) => console.error(line, error),
  now = Date.now,
}: {
  target: SignalTarget;
  drain: () => Promise<DrainResult>;
  inFlight: () => number;
  graceMs: number;
  closeApp: () => Promise<void>;
  closeDatabase: () => void;
  exit: (code: number) => void;
  log?: (line: string) => void;
  logError?: (line: string, error: unknown) => void;
  now?: () => number;
}): Promise<void> {
  let firstAt: number | null = null;
  let settle: () => void = () => {};
  const done = new Promise<void>((resolve) => (settle = resolve));

  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt !== null) {
      if (now() - firstAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
      log(`[field-reports] ${signal} again: exiting now, without waiting for requests in flight.`);
      exit(SIGNAL_EXIT_CODES[signal] ?? 1);
      settle();
      return;
    }
    firstAt = now();
    const inFlightNow = inFlight();
    // Stop accepting first, then say so: once the line is out, new connections are refused.
    const drained = drain();
    log(`[field-reports] ${signal}: draining — no new connections; ${inFlightNow} request(s) in flight get up to ${graceMs / 1000} s to finish.`);
    void (async () => {
      const result = await drained;
      try {
        await closeApp();
      } catch (error) {
        logError('[field-reports] Closing Next failed; going on.', error);
      }
      let code = 0;
      try {
        closeDatabase();
      } catch (error) {
        logError('[field-reports] Closing the database failed.', error);
        code = 1;
      }
      log(
        `[field-reports] Drained in ${result.ms} ms (${result.inFlightAtStart} request(s) in flight at the signal, ${result.cutOff} cut off at the grace's end); ` +
          `database ${code === 0 ? 'closed' : 'NOT closed cleanly'}. Exiting ${code}.`,
      );
      exit(code);
      settle();
    })();
  };
  target.on('SIGTERM', onSignal);
  target.on('SIGINT', onSignal);
  return done;
}
