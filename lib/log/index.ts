/**
 * The server's one logger: structured JSON lines on stdout (pino), one object per line with
 * `level` (a name: "info", "error" …), `time` (ISO 8601, UTC), `pid`, `msg`, and the fields of the
 * call. The level comes from LOG_LEVEL (fatal, error, warn, info, debug, trace or silent; default
 * info). No transports and no worker threads: lines are written synchronously, so a line logged
 * just before the process exits is not lost (docs/architecture.md "Logging").
 *
 * The rule (docs/security/README.md "Audit and privacy"): log ids and kinds, never report text,
 * secrets, addresses or user agents. Messages are constant strings; what varies goes in fields,
 * and fields are redacted by name at every depth (SENSITIVE_KEYS; pino's `redact` for the first
 * two levels, a copy-and-redact walk for the rest), class instances (Headers, Request, URL,
 * Buffer …) are logged as their class name only, and errors keep only name, message, stack, a
 * string code, Next's digest and their cause — never the properties that can carry request data.
 * Every message and every string of a logged error (message, stack, each cause) is cleaned
 * ({@link cleanLogText}): an error's text is built by Next, React or a library from whatever the
 * request held (a header value, a callbackUrl), so query strings, fragments and IP addresses are
 * cut from it, and its length is capped.
 */
import 'server-only';
import { isIP } from 'node:net';
import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Field names whose values are never logged, compared case-insensitively without punctuation
 * ("User-Agent" is "useragent"): report text and free text, secrets, addresses, headers, bodies,
 * URLs (a URL can carry a one-time token or a search), and form input.
 */
export const SENSITIVE_KEYS: readonly string[] = [
  'password', 'passphrase', 'secret', 'token', 'cookie', 'cookies', 'authorization', 'code', 'codes', 'key',
  'ip', 'ips', 'address', 'addresses', 'useragent', 'ua', 'headers', 'header', 'body', 'text', 'title',
  'narrative', 'note', 'url', 'href', 'link', 'query', 'search', 'searchparams', 'input', 'values', 'formdata',
  'reply', 'cargo',
];
/** Parts of field names that mark them sensitive wherever they appear ("sessionToken", "x-forwarded-for", "safetyNote"). */
const SENSITIVE_PARTS: readonly string[] = [
  'password', 'passphrase', 'secret', 'token', 'cookie', 'authorization', 'forwarded', 'realip', 'clientip',
  'remoteaddr', 'useragent', 'narrative', 'note', 'placedetail', 'datakey', 'privatekey', 'apikey', 'recoverycode',
];
/** pino's own redaction (fast, first two levels): the names as callers write them. */
const REDACT_PATHS = ['password', 'passphrase', 'secret', 'token', 'cookie', 'authorization', 'code', 'key', 'ip', 'address', 'userAgent', 'headers', 'body', 'text', 'title', 'narrative', 'url'].flatMap(
  (key) => [key, `*.${key}`],
);
/** Deeper than this, values are not logged. */
const MAX_DEPTH = 6;
/** Longer strings are cut (a field is an id or a kind, never a document). */
const MAX_STRING = 500;
const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** True when a field of this name may hold something the logs must not (SENSITIVE_KEYS, SENSITIVE_PARTS). */
export function isSensitiveKey(key: string): boolean {
  const bare = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SENSITIVE_KEYS.includes(bare) || SENSITIVE_PARTS.some((part) => bare.includes(part));
}

/** Longest logged message (`msg`, an error's message), in characters. */
export const MAX_MESSAGE = 500;
/** Longest logged stack, in characters (its frames name our files; the first line is the message). */
export const MAX_STACK = 4_000;
/** What an IP address in logged text becomes. */
export const ADDRESS = '[address]';

/**
 * A URL or an absolute path followed by a query string or a fragment: group 1 is what is kept.
 * The query and fragment run to the next space, quote, backtick or angle bracket.
 */
const URL_WITH_QUERY = /((?:[a-z][a-z0-9+.-]*:\/\/[^\s/?#"'`<>]+)?\/[^\s?#"'`<>]*|[a-z][a-z0-9+.-]*:\/\/[^\s/?#"'`<>]+)[?#][^\s"'`<>]*/gi;
/** A run of characters an IP address is made of, not inside a word: each is checked with net.isIP. */
const ADDRESS_CANDIDATE = /(?<![\w.:])[0-9a-f.:]*[.:][0-9a-f.:]*(?![\w.:])/gi;

/**
 * `text` with the query string and fragment of every URL or path removed, the path kept:
 * `Request body exceeded 12MB for /api/health?secret-query=…` becomes `… for /api/health`. Next
 * and libraries print request URLs as they came, and a query string can carry what a person typed
 * or a token (docs/security/README.md "Audit and privacy": a log line never holds a URL's query).
 */
export function withoutQueryStrings(text: string): string {
  return text.replace(URL_WITH_QUERY, '$1');
}

/** `text` with every IPv4 or IPv6 address (as net.isIP reads one) replaced by {@link ADDRESS}. */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS_CANDIDATE, (candidate) => (isIP(candidate) ? ADDRESS : candidate));
}

/**
 * Text as it may be logged (a message, an error's message or stack): query strings and fragments
 * cut ({@link withoutQueryStrings}), IP addresses replaced ({@link withoutAddresses}), at most `max`
 * characters (longer text ends in '…'). Only the first 4 × `max` characters are read, so a
 * multi-megabyte error message costs no more than a short one.
 * @param text any text
 * @param max the cap in characters (default {@link MAX_MESSAGE})
 */
export function cleanLogText(text: string, max: number = MAX_MESSAGE): string {
  const cleaned = withoutAddresses(withoutQueryStrings(text.length > max * 4 ? text.slice(0, max * 4) : text));
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

/** The shape an error is logged in. */
export type LoggedError = { type: string; message: string; stack?: string; errorCode?: string; digest?: string; cause?: LoggedError | string };

function isLoggedError(value: unknown): value is LoggedError {
  return value !== null && typeof value === 'object' && typeof (value as LoggedError).type === 'string' && typeof (value as LoggedError).message === 'string';
}

/** An already serialised error (pino serialises `err` after the redaction walk): its known fields only. */
function pickLoggedError(error: LoggedError): LoggedError {
  const { type, message, stack, errorCode, digest, cause } = error;
  const out: LoggedError = { type: cleanLogText(type, 100), message: cleanLogText(message) };
  if (typeof stack === 'string') out.stack = cleanLogText(stack, MAX_STACK);
  if (typeof errorCode === 'string') out.errorCode = errorCode;
  if (typeof digest === 'string') out.digest = digest;
  if (cause !== undefined) out.cause = typeof cause === 'string' ? cleanLogText(cause) : pickLoggedError(cause);
  return out;
}

/**
 * An error as it may be logged: its name, message and stack (each cleaned by {@link cleanLogText}:
 * no query strings or addresses, message ≤ {@link MAX_MESSAGE} and stack ≤ {@link MAX_STACK}
 * characters), a string `code` (SQLITE_BUSY, ENOENT …) as `errorCode`, Next's `digest`, and its
 * cause (three levels at most, cleaned alike). Every other property (a request, headers, a body,
 * a query) is dropped.
 * @param error anything thrown; a non-Error is logged by type only
 */
export function serializeError(error: unknown, depth = 0): LoggedError | string {
  if (!(error instanceof Error)) return isLoggedError(error) ? pickLoggedError(error) : `[thrown ${typeof error}]`;
  const out: LoggedError = { type: cleanLogText(String(error.name), 100), message: cleanLogText(error.message) };
  if (error.stack) out.stack = cleanLogText(error.stack, MAX_STACK);
  const { code, digest } = error as { code?: unknown; digest?: unknown };
  if (typeof code === 'string') out.errorCode = code.slice(0, 100);
  if (typeof digest === 'string') out.digest = digest.slice(0, 100);
  if (error.cause !== undefined && depth < 3) out.cause = typeof error.cause === 'string' ? cleanLogText(error.cause) : serializeError(error.cause, depth + 1);
  return out;
}

/**
 * A copy of a log call's fields that holds nothing the logs must not: sensitive names redacted at
 * every depth, errors serialised, class instances named only, long strings cut, cycles broken.
 * The caller's object is not changed.
 */
export function redactFields(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && value.length > MAX_STRING) return `${value.slice(0, MAX_STRING)}…`;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
    return value;
  }
  if (value instanceof Error) return serializeError(value);
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[seen]';
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactFields(item, depth + 1, seen));
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype !== Object.prototype && prototype !== null) return `[${(value.constructor as { name?: string } | undefined)?.name || 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = key === 'err' || key === 'error' ? serializeError(field) : isSensitiveKey(key) ? REDACTED : redactFields(field, depth + 1, seen);
  }
  return out;
}

/** The level named by LOG_LEVEL, or info when it is unset or not a level. */
export function logLevelFrom(value: string | undefined): LevelWithSilent {
  const level = value?.trim().toLowerCase();
  return LEVELS.includes(level as LevelWithSilent) ? (level as LevelWithSilent) : 'info';
}

/**
 * A logger with the app's format and redaction.
 * @param options.level default: LOG_LEVEL, else info
 * @param options.destination default: stdout, written synchronously (tests pass a stream)
 */
export function createLogger(options: { level?: LevelWithSilent; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevelFrom(process.env.LOG_LEVEL),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => redactFields(fields) as Record<string, unknown>,
      },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        // Every line carries `msg`, even a call with fields only; every message is cleaned
        // (cleanLogText), pino's own default for an Error alone (its message) included.
        logMethod(args, method) {
          const [first] = args;
          if (typeof first === 'object' && first !== null) {
            const rest = args.slice(1).map((arg) => (typeof arg === 'string' ? cleanLogText(arg) : arg));
            if (rest.length === 0) return method.apply(this, [first, first instanceof Error ? cleanLogText(first.message) : '']);
            return method.apply(this, [first, ...rest] as Parameters<typeof method>);
          }
          return method.apply(this, args.map((arg) => (typeof arg === 'string' ? cleanLogText(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const globalForLog = globalThis as unknown as { __fieldReportsLogger?: Logger };

/**
 * The process-wide logger (one per process, shared by every route bundle and instrumentation.ts).
 * Use `logger.info({ reportId }, 'report submitted')`: constant message, ids and kinds in fields.
 * Per request: requestLogger() in lib/log/request.ts.
 */
export const logger: Logger = (globalForLog.__fieldReportsLogger ??= processLogger());

function processLogger(): Logger {
  const created = createLogger();
  const asked = process.env.LOG_LEVEL?.trim().toLowerCase();
  if (asked && logLevelFrom(asked) !== asked) created.warn({ allowed: LEVELS.join(', ') }, 'LOG_LEVEL is not a level; logging at info');
  return created;
}
