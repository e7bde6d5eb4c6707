import { parseEnv } from './env';
import { checkDataAtRest } from './at-rest/startup';

// Imported once at server start (instrumentation.ts): an invalid environment, an unusable key file
// or a plain-text database stops the process with a message naming each problem, before any
// request is served (no secret is printed).
try {
  parseEnv(process.env);
  const state = checkDataAtRest();
  if (state === 'sealed') console.log('[field-reports] Sealed: no FIELD_REPORTS_KEY_FILE. Nothing is read or written until the passphrase is entered at /unseal.');
  if (state === 'plaintext-benchmark') console.warn('[field-reports] WARNING: FIELD_REPORTS_PLAINTEXT=benchmark-only — the database is NOT encrypted. Only the benchmark may run like this.');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
