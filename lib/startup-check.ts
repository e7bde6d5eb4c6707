import { parseEnv } from './env';
import { checkDataAtRest } from './at-rest/startup';
import { assertStartedByOwnServer } from './server/marker';
import { logger } from './log';

// Imported once at server start (instrumentation.ts): an invalid environment, an unusable key file
// or a plain-text database stops the process with a message naming each problem, before any
// request is served (no secret is printed).
try {
  // `npm start` (server.ts) only: it alone sets the client address from the socket (issue 16 item 7).
  assertStartedByOwnServer(process.env.NODE_ENV);
  parseEnv(process.env);
  const state = checkDataAtRest();
  if (state === 'sealed') logger.info({ event: 'sealed' }, 'Sealed: no FIELD_REPORTS_KEY_FILE. Nothing is read or written until the passphrase is entered at /unseal.');
  if (state === 'plaintext-benchmark') logger.warn({ event: 'plaintext_database' }, 'FIELD_REPORTS_PLAINTEXT=benchmark-only: the database is NOT encrypted. Only the benchmark may run like this.');
} catch (error) {
  // The messages name each problem and its fix, never a secret (lib/env.ts, lib/at-rest/startup.ts).
  logger.fatal({ event: 'startup_refused', problem: error instanceof Error ? error.message : String(error) }, 'the server cannot start');
  process.exit(1);
}
