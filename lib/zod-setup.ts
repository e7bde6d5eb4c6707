/**
 * zod's JIT compiles object parsers with `new Function`, and probes for it by calling `Function("")`.
 * Under our Content-Security-Policy (no 'unsafe-eval') that probe is a CSP violation in the browser.
 * Every module that builds zod schemas imports this first, so parsing never tries eval.
 * (zod and zod/mini share one global configuration.)
 */
import { config } from 'zod/mini';

config({ jitless: true });
