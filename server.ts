/**
 * The app's own HTTP server: `npm start` (production) and `npm run dev` (`--dev`). It wraps Next's
 * request handler (a Next custom server: `next({ dev, dir, hostname, port })`, `prepare()`,
 * `getRequestHandler()`) so that (issue 16 items 7, 16, 17; docs/decisions/0003-own-http-server.md):
 * - it listens on HOST (default 127.0.0.1) and PORT (default 3000);
 * - the client address that throttling counts comes from the socket, or from X-Forwarded-For only
 *   as far as TRUSTED_PROXIES says, and reaches the app as `x-fr-client-address`; every request
 *   gets a fresh `x-request-id` (lib/server/http-server.ts);
 * - a body declared over 12 MiB is answered 413, and one of undeclared length (chunked, or a POST
 *   without Content-Length) 411, before Next reads it (issue 16 item 9; lib/server/http-server.ts);
 * - a malformed `Next-Router-State-Tree` header is answered 400 before Next sees it (issue 16
 *   item 11: Next hides that header from proxy.ts and answers 500; lib/http/router-state-guard.ts);
 * - a Server Action call that Next would answer with 500 before any of our actions started (React's
 *   decoder threw on its arguments) is answered 400 instead (issue 16 item 11;
 *   lib/server/malformed-action-call.ts);
 * - the database's WAL checkpoints run in a worker thread, off the event loop (db/checkpointer.ts);
 * - SIGTERM/SIGINT drain requests in flight (≤ SHUTDOWN_GRACE_SECONDS), close the database
 *   cleanly and exit 0 (lib/server/shutdown.ts);
 * - a production process that was not started here refuses to start (lib/server/marker.ts,
 *   checked in lib/startup-check.ts).
 *
 * Run as `node --import tsx server.ts` (package.json), not `tsx --conditions=react-server`: the
 * `react-server` condition would apply to every module the process resolves, including the React
 * Next renders pages with, which must be the full build, as under `next start`. Nothing loaded here
 * imports 'server-only'. `--import tsx` (not the tsx command) keeps one process, so signals from a
 * process manager reach the server itself. tsx only compiles these TypeScript files; Next's
 * compiled output loads as plain CommonJS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { closeDatabase, enableBackgroundCheckpoints } from './db/client';
import { refuseMalformedRouterState } from './lib/http/router-state-guard';
import { answerMalformedActionCallWith400 } from './lib/server/malformed-action-call';
import { parseServerEnv, type ServerConfig } from './lib/server/config';
import { createFieldReportsServer } from './lib/server/http-server';
import { markStartedByOwnServer } from './lib/server/marker';
import { handleShutdownSignals } from './lib/server/shutdown';

/** Where HOST lets connections come from, in words. */
function describeHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return 'every interface (HOST): only behind a reverse proxy or firewall';
  if (/^127\./.test(address) || address === '::1') return 'this machine only (loopback)';
  return 'the interface HOST names';
}

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  // As the `next` command does: the mode decides NODE_ENV unless the operator set it.
  const env = process.env as Record<string, string | undefined>;
  env.NODE_ENV ||= dev ? 'development' : 'production';
  env.NEXT_TELEMETRY_DISABLED ||= '1';

  let config: ServerConfig;
  try {
    config = parseServerEnv(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }

  markStartedByOwnServer();
  // WAL checkpoints in a worker thread; a request's COMMIT then checkpoints rarely, and cheaply (db/checkpointer.ts).
  enableBackgroundCheckpoints();
  const { default: next } = await import('next');
  const app = next({ dev, dir: path.resolve(__dirname), hostname: config.host, port: config.port });
  await app.prepare();
  const handleWithNext = app.getRequestHandler();
  const handler = (req: IncomingMessage, res: ServerResponse) =>
    refuseMalformedRouterState(req, res) ? undefined : answerMalformedActionCallWith400(req, res, () => handleWithNext(req, res));
  const server = createFieldReportsServer({ handler, host: config.host, port: config.port, trustProxies: config.trustProxies, graceMs: config.graceMs });
  let bound: { host: string; port: number };
  try {
    bound = await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Field Reports cannot start: ${config.host}:${config.port} is in use (set PORT to another port).`
        : `Field Reports cannot start: cannot listen on ${config.host}:${config.port} (${code ?? (error as Error).message}).`,
    );
    process.exit(1);
  }
  handleShutdownSignals({
    target: process,
    drain: () => server.drain(),
    inFlight: () => server.inFlight(),
    graceMs: config.graceMs,
    closeApp: () => app.close(),
    closeDatabase: () => void closeDatabase(),
    exit: (code) => process.exit(code),
  });
  // No address in the line (the server log holds none: docs/security/README.md "Audit and privacy").
  console.log(`[field-reports] Listening on port ${bound.port}, ${describeHost(bound.host)} (${dev ? 'development' : 'production'}; trusted proxies: ${config.trustProxies.description}).`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
