/**
 * Route the process's `console` through the logger once the server has started, so that what
 * Next.js and libraries print after start-up (a render error, next-auth's warnings, "Failed to
 * find Server Action") is one JSON line like the app's own, with the same redaction: strings
 * become `msg`, an Error becomes `err` (name, message, stack, digest only), other arguments go
 * through the field redaction as `args`; query strings and fragments are cut from every URL or path in
 * the text ({@link withoutQueryStrings}). Next's start-up banner is printed before this runs and
 * stays plain text (docs/architecture.md "Logging").
 */
import 'server-only';
import { format } from 'node:util';
import { logger as processLogger, withoutQueryStrings, type Logger } from './index';
import { isMalformedActionCall } from './request-error';

const METHODS = { error: 'error', warn: 'warn', info: 'info', log: 'info', debug: 'debug', trace: 'trace' } as const;

type ConsoleLike = Pick<Console, keyof typeof METHODS>;

const globalForConsole = globalThis as unknown as { __fieldReportsRoutedConsoles?: WeakSet<object> };

/** Query strings are cut from console text as from every message (lib/log/index.ts cleanLogText). */
export { withoutQueryStrings } from './index';

/** The log call one console call becomes: its text, the first Error, and the other arguments. */
export function consoleLine(args: readonly unknown[]): { msg: string; err?: unknown; args?: unknown[] } {
  const texts: unknown[] = [];
  const others: unknown[] = [];
  let err: unknown;
  for (const arg of args) {
    if (arg instanceof Error && err === undefined) err = arg;
    else if (typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean') texts.push(arg);
    else if (arg !== undefined) others.push(arg);
  }
  // Colour codes and Next's prefix glyphs (build/output/log.js: ⨯ ⚠ ✓ ○ » ▲) add nothing to a JSON line.
  const msg = withoutQueryStrings(
    format(...texts)
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/^[\s⨯⚠✓○»▲]+/u, '')
      .trim(),
  );
  return { msg: msg || (err instanceof Error ? err.message : ''), ...(err !== undefined ? { err } : {}), ...(others.length > 0 ? { args: others } : {}) };
}

/**
 * Replace console.error/warn/info/log/debug/trace with calls to the logger (once per console).
 * During a malformed Server Action call (no action of ours started), console.error carrying the
 * decoder's Error is left to onRequestError's one warn line, and text alone is logged at warn.
 * Called from instrumentation.ts in production only: in `next dev` Next's own output stays
 * readable.
 * @param log the logger lines go to (default: the process logger)
 * @param target the console to change (default: the global one; tests pass their own)
 */
export function routeConsoleToLogger(log: Logger = processLogger, target: ConsoleLike = console): void {
  const routed = (globalForConsole.__fieldReportsRoutedConsoles ??= new WeakSet());
  if (routed.has(target)) return;
  routed.add(target);
  for (const [method, level] of Object.entries(METHODS) as [keyof typeof METHODS, (typeof METHODS)[keyof typeof METHODS]][]) {
    target[method] = (...args: unknown[]) => {
      const { msg, ...fields } = consoleLine(args);
      if (level === 'error' && isMalformedActionCall()) {
        // React's decoder refused a call's arguments: onRequestError writes its one warn line
        // (lib/log/request-error.ts); Next's own print of the error adds nothing but its stack.
        if (fields.err !== undefined) return;
        log.warn({ source: 'console' }, msg);
        return;
      }
      log[level]({ source: 'console', ...fields }, msg);
    };
  }
}
