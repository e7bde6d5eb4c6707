/**
 * Cheap refusals of hostile request bodies and headers, run by proxy.ts before Next.js or any
 * action parses anything (issue 16 items 9 and 11; docs/security/README.md "Request limits").
 *
 * Every check here is a byte scan of a body proxy.ts already holds in memory (Next.js buffers a
 * POST's body for the proxy anyway): `Buffer.indexOf` for `&` and multipart delimiters, and a
 * string-aware bracket count for JSON. Nothing is decoded into fields, so a 100,000-field post
 * costs a few milliseconds to refuse instead of a second of form parsing. The answers are plain
 * text, `Cache-Control: no-store`: 413 when something is too large or too many, 400 when it is
 * malformed.
 *
 * Deliberately not here: React's Server Action wire format (which argument is a FormData, what an
 * action expects). That changes with the framework; Server Actions refuse calls our pages never
 * make themselves (lib/http/server-action.ts). What this module assumes of Next.js is only what
 * the checks below name: a Server Action call (`Next-Action` header) carries its argument list as
 * JSON — the whole text/plain body, or the multipart part named `0`.
 */

/**
 * The limits, in one place. Sources:
 * - `bodyBytes`: 12 MiB, the same as next.config.js `serverActions.bodySizeLimit` and
 *   `proxyClientMaxBodySize` ('12mb' is 12 × 1024 × 1024 bytes to Next's `bytes` parser). A photo
 *   upload (10 MiB, lib/photos) fits; Next would answer a larger Server Action body with 500.
 * - `fields`: fields of one form body (url-encoded pairs, multipart parts). The largest form the
 *   app sends is the report form (or the editor's edit form) with every row section at its cap:
 *   14 scalar fields + 50 vehicle rows × 6 + 50 goods rows × 7 + 30 agency rows × 4 = 784, plus
 *   a few hidden and React fields (lib/reports/form-values.ts). The editor's bulk selection sends
 *   at most one field per queue row (25) and the lists admin a handful. 2,000 leaves 2.5× room.
 * - `jsonDepth`: nesting of a JSON body or Server Action argument list. The deepest the app sends
 *   is the report form's state (argument list → state → values → rows → row), 5 levels.
 * - `routerStateChars`: Next.js's own cap on `Next-Router-State-Tree` (20 × 2,000 characters).
 * - `routerStateDepth`: each route segment adds two levels ([segment, {children: …}]); the
 *   deepest route (/editor/reports/[id]/publish) needs about 16. 64 leaves room.
 */
export const REQUEST_LIMITS = {
  bodyBytes: 12 * 1024 * 1024,
  fields: 2_000,
  jsonDepth: 32,
  routerStateChars: 40_000,
  routerStateDepth: 64,
} as const;

/** A guard's verdict: pass, or refuse with a status and a short reason (shown to the client). */
export type GuardVerdict = { ok: true } | { ok: false; status: 400 | 413; reason: string };

const PASS: GuardVerdict = { ok: true };
const tooLarge = (reason: string): GuardVerdict => ({ ok: false, status: 413, reason });
const malformed = (reason: string): GuardVerdict => ({ ok: false, status: 400, reason });

const AMPERSAND = 0x26;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Fields in an application/x-www-form-urlencoded body: one more than its `&` separators (0 for an
 * empty body), counted with `Buffer.indexOf`. Stops counting past `stopAbove`.
 * @returns the count, or `stopAbove + 1` when there are more
 */
export function countUrlEncodedFields(body: Buffer, stopAbove: number = Number.MAX_SAFE_INTEGER): number {
  if (body.length === 0) return 0;
  let count = 1;
  for (let at = body.indexOf(AMPERSAND); at !== -1; at = body.indexOf(AMPERSAND, at + 1)) {
    count += 1;
    if (count > stopAbove) return count;
  }
  return count;
}

/**
 * The boundary of a multipart/form-data Content-Type (quoted or not), or null when it has none
 * or one RFC 2046 §5.1.1 does not allow (1–70 characters).
 */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;,"]{1,70}))\s*(?:;|$)/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/**
 * What {@link scanMultipart} found: the part count, where part `0`'s content is, if any, and where
 * the other JSON-named parts are: `1`, `2` … (further chunks of a Server Action call) and
 * `$ACTION_<n>:<m>` (a no-script post's bound-action data). None of these is ever a field of our
 * forms, and a decoder JSON.parses each of them.
 */
export type MultipartScan =
  | { ok: true; parts: number; partZero: { start: number; end: number } | null; jsonParts: { start: number; end: number; numbered: boolean }[] }
  | { ok: false; problem: 'malformed' | 'too-many-parts' };

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const PART_ZERO_NAME = /^content-disposition:[ \t]*form-data[ \t]*;(?:.*;)?[ \t]*name=(?:"0"|0)[ \t]*(?:;|$)/im;
const JSON_PART_NAME = /^content-disposition:[ \t]*form-data[ \t]*;(?:.*;)?[ \t]*name=(?:"(\d+|\$ACTION_\d+:\d+)"|(\d+))[ \t]*(?:;|$)/im;

/**
 * Scan a multipart/form-data body without parsing it: it must start with `--boundary` (browsers
 * and fetch send no preamble) and end with the closing `--boundary--` (an optional CRLF after it),
 * every part must have a header block; parts are counted by their `CRLF--boundary` delimiters with
 * `Buffer.indexOf`. A body cut short (a client that stopped sending, or Next.js's proxy copy cut
 * at proxyClientMaxBodySize) has no closing delimiter and is malformed. The header block of each
 * part is read only to find the part named `0` (a Server Action's argument list).
 * @param body the whole body
 * @param boundary from {@link multipartBoundary}
 * @param maxParts parts allowed; one more is 'too-many-parts'
 */
export function scanMultipart(body: Buffer, boundary: string, maxParts: number): MultipartScan {
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  if (body.length < opening.length || !body.subarray(0, opening.length).equals(opening)) return { ok: false, problem: 'malformed' };
  const closing = Buffer.from(`\r\n--${boundary}--`);
  let end = body.length;
  if (body.length >= 2 && body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
  // `--boundary--` alone is a form with no fields.
  if (body.subarray(0, end).equals(Buffer.from(`--${boundary}--`))) return { ok: true, parts: 0, partZero: null, jsonParts: [] };
  const closingAt = end - closing.length;
  if (closingAt < opening.length || !body.subarray(closingAt, end).equals(closing)) return { ok: false, problem: 'malformed' };

  let parts = 0;
  let partZero: { start: number; end: number } | null = null;
  const jsonParts: { start: number; end: number; numbered: boolean }[] = [];
  // `start` is where a part's header block begins (just past `--boundary`).
  let start = opening.length;
  while (start < closingAt + 2) {
    // The line after a delimiter: CRLF, then headers, then an empty line.
    if (body[start] !== 0x0d || body[start + 1] !== 0x0a) return { ok: false, problem: 'malformed' };
    const next = body.indexOf(delimiter, start);
    // `closingAt` is itself a delimiter, so `next` is never -1 before it.
    const partEnd = next === -1 ? closingAt : next;
    parts += 1;
    if (parts > maxParts) return { ok: false, problem: 'too-many-parts' };
    const headersEnd = body.indexOf(CRLF_CRLF, start);
    if (headersEnd === -1 || headersEnd + 4 > partEnd) return { ok: false, problem: 'malformed' };
    const headers = body.toString('latin1', start + 2, headersEnd);
    if (PART_ZERO_NAME.test(headers)) {
      // Two argument lists: which one a decoder takes is its own business; refuse.
      if (partZero !== null) return { ok: false, problem: 'malformed' };
      partZero = { start: headersEnd + 4, end: partEnd };
    } else {
      const named = JSON_PART_NAME.exec(headers);
      const name = named?.[1] ?? named?.[2];
      if (name !== undefined) jsonParts.push({ start: headersEnd + 4, end: partEnd, numbered: /^\d+$/.test(name) });
    }
    start = partEnd + delimiter.length;
  }
  return { ok: true, parts, partZero, jsonParts };
}

/**
 * The greatest nesting of `[` and `{` in JSON text, skipping strings (a bracket inside a string,
 * escaped quotes included, does not count). Not a validator: stops and returns `stopAbove + 1` as
 * soon as the nesting passes `stopAbove`, and reads unbalanced text without complaint.
 * @param bytes UTF-8 JSON (any ASCII-compatible encoding works: only ASCII bytes matter)
 */
export function jsonNestingDepth(bytes: Uint8Array, stopAbove: number = Number.MAX_SAFE_INTEGER, start = 0, end = bytes.length): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = start; i < end; i += 1) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth -= 1;
    }
  }
  return deepest;
}

/** The same scan over a JavaScript string (headers arrive as strings). */
function stringNestingDepth(text: string, stopAbove: number): number {
  return jsonNestingDepth(Buffer.from(text, 'utf8'), stopAbove);
}

/** True when `bytes[start, end)` is JSON nested no deeper than the limit (checked before parsing). */
function isBoundedJson(bytes: Buffer, start: number, end: number): boolean {
  if (jsonNestingDepth(bytes, REQUEST_LIMITS.jsonDepth, start, end) > REQUEST_LIMITS.jsonDepth) return false;
  try {
    JSON.parse(bytes.toString('utf8', start, end));
    return true;
  } catch {
    return false;
  }
}

/** What {@link checkRequestBody} needs to know of a request besides its body. */
export type BodyRequestInfo = {
  /** The Content-Type header, or '' */
  contentType: string;
  /** True when the request carries a `Next-Action` header (a Server Action call from a script). */
  isServerActionCall: boolean;
};

/**
 * Refuse a request body before anything parses it:
 * - over {@link REQUEST_LIMITS}.bodyBytes → 413;
 * - url-encoded with more than `fields` fields → 413;
 * - multipart: no valid boundary, a body not framed by it, a part without headers → 400; more than
 *   `fields` parts → 413; a part named `0` (a Server Action's argument list; never a field of
 *   ours) nested deeper than `jsonDepth` → 400;
 * - application/json or text/plain nested deeper than `jsonDepth` → 400 (only these two and part
 *   `0` are scanned: user text in other fields may hold any brackets);
 * - in a Server Action call, a further numbered part (`1`, `2` …), and in any multipart post a
 *   `$ACTION_<n>:<m>` part (a no-script form's bound-action data), that is not JSON within the
 *   depth limit → 400: React's decoder parses these too and Next.js answers 500 when it throws;
 * - a Server Action call (`Next-Action`) whose argument list is missing or not JSON — a body that
 *   is not multipart and does not parse, a multipart body without a part `0` that parses — → 400. Next.js
 *   answers those with 500 (React's decoder throws); this is the cheapest check that does not read
 *   React's format: JSON.parse of one part, after the depth scan made it safe.
 * @param info the request's content type and whether it is a Server Action call
 * @param body the whole body as received
 */
export function checkRequestBody(info: BodyRequestInfo, body: Buffer): GuardVerdict {
  if (body.length > REQUEST_LIMITS.bodyBytes) return tooLarge('request body too large');
  const type = info.contentType.toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return countUrlEncodedFields(body, REQUEST_LIMITS.fields) > REQUEST_LIMITS.fields ? tooLarge('too many form fields') : PASS;
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = multipartBoundary(info.contentType);
    if (!boundary) return malformed('multipart body without a boundary');
    const scan = scanMultipart(body, boundary, REQUEST_LIMITS.fields);
    if (!scan.ok) return scan.problem === 'too-many-parts' ? tooLarge('too many form fields') : malformed('malformed multipart body');
    if (scan.partZero) {
      const { start, end } = scan.partZero;
      if (jsonNestingDepth(body, REQUEST_LIMITS.jsonDepth, start, end) > REQUEST_LIMITS.jsonDepth) return malformed('nested too deeply');
      if (info.isServerActionCall && !isBoundedJson(body, start, end)) return malformed('argument list is not JSON');
    } else if (info.isServerActionCall) {
      return malformed('no argument list');
    }
    for (const part of scan.jsonParts) {
      // Numbered parts are JSON only in a Server Action call; `$ACTION_<n>:<m>` parts always are.
      if (part.numbered && !info.isServerActionCall) continue;
      if (!isBoundedJson(body, part.start, part.end)) return malformed('a data part is not JSON');
    }
    return PASS;
  }
  // Next.js reads a Server Action call's body of any other type as text holding JSON.
  if (info.isServerActionCall || type === '' || type.startsWith('text/plain') || type.startsWith('application/json')) {
    if (jsonNestingDepth(body, REQUEST_LIMITS.jsonDepth) > REQUEST_LIMITS.jsonDepth) return malformed('nested too deeply');
    if (info.isServerActionCall && !isBoundedJson(body, 0, body.length)) return malformed('argument list is not JSON');
  }
  return PASS;
}

/**
 * Refuse a declared body size over the limit before reading a byte of it.
 * @param contentLength the Content-Length header, or null (chunked: the body check counts bytes)
 */
export function checkContentLength(contentLength: string | null): GuardVerdict {
  if (contentLength === null) return PASS;
  const length = Number(contentLength);
  if (!/^\d+$/.test(contentLength.trim()) || !Number.isSafeInteger(length)) return malformed('malformed Content-Length');
  return length > REQUEST_LIMITS.bodyBytes ? tooLarge('request body too large') : PASS;
}

/**
 * Check a `Next-Router-State-Tree` header (the client router's state, which Next.js parses on
 * every navigation and answers with 500 when it cannot): at most `routerStateChars` characters,
 * percent-decodable, nested no deeper than `routerStateDepth`, JSON, and a tree Next.js itself
 * accepts — the last by Next's own validator (`isValidRouterState`, passed in by proxy.ts), so an
 * upgrade that changes the tree's shape cannot make this check and Next's disagree.
 * @param value the header, or null when absent (passes)
 * @param isValidRouterState Next.js's own check of a header value (throws or returns false when invalid)
 */
export function checkRouterStateHeader(value: string | null, isValidRouterState: (value: string) => boolean): GuardVerdict {
  if (value === null) return PASS;
  if (value.length > REQUEST_LIMITS.routerStateChars) return malformed('router state header too long');
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return malformed('malformed router state header');
  }
  if (stringNestingDepth(decoded, REQUEST_LIMITS.routerStateDepth) > REQUEST_LIMITS.routerStateDepth) return malformed('malformed router state header');
  try {
    JSON.parse(decoded);
    return isValidRouterState(value) ? PASS : malformed('malformed router state header');
  } catch {
    return malformed('malformed router state header');
  }
}

/**
 * Refuse a path whose percent-escapes do not decode as UTF-8 (`/reports/%FF`): Next.js decodes
 * route parameters and answers such a path with 500. Read from the path as received, before any
 * routing.
 * @param pathname the raw path, still percent-encoded
 */
export function checkPath(pathname: string): GuardVerdict {
  try {
    decodeURIComponent(pathname);
    return PASS;
  } catch {
    return malformed('malformed percent-encoding in the path');
  }
}

/** The plain-text answer to a refused request: never cached, never a page. */
export function refusalResponse(verdict: Extract<GuardVerdict, { ok: false }>): Response {
  return new Response(`${verdict.status === 413 ? 'Request too large' : 'Malformed request'}: ${verdict.reason}.`, {
    status: verdict.status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}
