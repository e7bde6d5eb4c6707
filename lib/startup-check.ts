import { parseEnv } from './env';

// Imported once at server start (instrumentation.ts): an invalid environment stops the process
// with a message naming each problem, before any request is served.
try {
  parseEnv(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
