/**
 * Proof that the process was started by the app's own server (server.ts, `npm start`), which sets
 * the client address from the socket (issue 16 item 7). `next start` would pass a client's own
 * `x-fr-client-address` through and let it choose the address sign-in throttling counts, so a
 * production process without the marker refuses to start (lib/startup-check.ts).
 *
 * The marker lives on `globalThis` under a registered symbol: server.ts and Next's bundle load
 * their own copies of this module, but share the process's global object. It cannot be set from
 * outside the process (an environment variable could be).
 *
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
const MARKER = Symbol.for('field-reports.own-http-server');

type Marked = { [MARKER]?: true };

/** Called by server.ts before Next prepares the app. */
export function markStartedByOwnServer(): void {
  (globalThis as Marked)[MARKER] = true;
}

/** True when server.ts started this process. */
export function wasStartedByOwnServer(): boolean {
  return (globalThis as Marked)[MARKER] === true;
}

/**
 * Refuse a production start that did not go through server.ts.
 * @param nodeEnv `process.env.NODE_ENV`; development (`next dev` directly) is let through
 * @throws Error telling the operator to use `npm start`
 */
export function assertStartedByOwnServer(nodeEnv: string | undefined): void {
  if (nodeEnv !== 'production' || wasStartedByOwnServer()) return;
  throw new Error(
    'Field Reports cannot start: start it with `npm start` (server.ts), not `next start` or another server. ' +
      "Only server.ts sets the client's address from the connection (and TRUSTED_PROXIES); without it a client could choose the address sign-in throttling counts. README: \"Production start\".",
  );
}
