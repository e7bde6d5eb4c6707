/**
 * Cheap refusals of hostile request bodies and headers, run by proxy.ts before Next.js or any
 * action parses anything (issue 16 items 9 and 11; docs/security/README.md "Request limits").
 *
 * Every check here is a byte scan of a body proxy.ts already holds in memory (Next.js buffers a
 * POST's body for the proxy anyway): `Buffer.indexOf` for `&` and multipart delimiters, and one
 * string-aware pass over JSON that counts its nesting and its `,`/`:` separators. Nothing is
 * decoded into fields, so a 100,000-field post costs a few milliseconds to refuse instead of a
 * second of form parsing, and a 6.8 MB argument list of 600,000 keys is refused before React's
 * decoder spends 1.8 s on it. The answers are plain
 * text, `Cache-Control: no-store`: 413 when something is too large or too many, 400 when it is
 * malformed.
 *
 * Deliberately not here: React's Server Action wire format (which argument is a FormData, what an
 * action expects). That changes with the framework; Server Actions refuse calls our pages never
 * make themselves (lib/http/server-action.ts). What this module assumes of Next.js is only what
 * the checks below name: a Server Action call (`Next-Action` header) carries its argument list as
 * JSON — the whole text/plain body, or the multipart part named `0` with its numbered parts. What a
 * call that is JSON but that React cannot decode gets is the app's server's business
 * (lib/server/malformed-action-call.ts: 400 instead of Next's 500).
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
 * - `actionJsonBytes`: the JSON of one Server Action call (the whole text body, or multipart part
 *   `0` and the other JSON parts together; a FormData argument's fields are parts of their own and
 *   do not count). React's decoder walks every value of it before any action runs (issue 16 items
 *   9 and 11: a 6.8 MB object of 600,000 keys held the server 1.5–1.8 s, anonymously). The
 *   largest call the app makes, measured with React's own encodeReply (every field of the report
 *   form at its length limit, every row section full): the report form's state with its values
 *   and an error on every field, 430 KB when typed in Hangul (3 UTF-8 bytes a character; 188 KB
 *   in ASCII); autosave's values, 385 KB. 1 MiB leaves 2.4× room.
 * - `actionJsonValues`: `,` and `:` outside strings in the same JSON, a cheap count of its values.
 *   The largest call above has 3,210 (the autosave 1,570); 20,000 leaves 6× room, and a 1 MiB body
 *   of `[0,0,…]` (500,000 values) is refused before React decodes it.
 * - `urlEncodedBytes`: an application/x-www-form-urlencoded body. The app's url-encoded posts are
 *   next-auth's sign-in (csrfToken, code name, password, callbackUrl), the unseal passphrase and
 *   sign-out, a few hundred bytes; our forms with Server Actions post multipart. Parsers are linear
 *   but not cheap: URLSearchParams took 2.0 s and undici's formData() 1.7 s for 12 MB of `+`
 *   (measured on this machine, Node 20), 88–167 ms for one 12 MB key; 64 KiB costs ~10–40 ms.
 * - `partHeaderBytes`, `partHeaderLines`: the header block of one multipart part (after the
 *   boundary line, up to the empty line). Chromium sends two lines: `Content-Disposition:
 *   form-data; name="…"; filename="…"` and, for a file, `Content-Type`. The longest a browser
 *   sends is a file's name: 255 characters at most on common file systems. Measured in Chromium
 *   (Debian 'chromium', a 255-character Hangul name, or one of 251 `"`, each sent as `%22`): an
 *   840-byte block in a UTF-8 page (all of ours); 2,095 bytes from a page without a charset,
 *   where Chromium writes each syllable as `&#44032;`. 4 KiB and 4 lines leave room (2× the
 *   worst, two lines to spare for a client that adds one). undici's
 *   formData(), which Next runs on every multipart POST to a page, spent 1.9 s on one part of
 *   2.4 million header lines (11.4 MB) and 1.4 s on 1,999 parts of 700 lines each (issue 16
 *   item 9, the attacker's retest).
 * - `multipartHeaderBytes`: all parts' header blocks together. The report form at its caps
 *   (~800 fields, ~70 bytes of headers each) sends ~56 KB; 256 KiB leaves room for 2,000 fields
 *   of ordinary names.
 * - `routerStateChars`: Next.js's own cap on `Next-Router-State-Tree` (20 × 2,000 characters).
 * - `routerStateDepth`: each route segment adds two levels ([segment, {children: …}]); the
 *   deepest route (/editor/reports/[id]/publish) needs about 16. 64 leaves room.
 */
export const REQUEST_LIMITS = {
  bodyBytes: 12 * 1024 * 1024,
  fields: 2_000,
  jsonDepth: 32,
  actionJsonBytes: 1024 * 1024,
  actionJsonValues: 20_000,
  urlEncodedBytes: 64 * 1024,
  partHeaderBytes: 4 * 1024,
  partHeaderLines: 4,
  multipartHeaderBytes: 256 * 1024,
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
const COMMA = 0x2c;
const COLON = 0x3a;

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
  | {
      ok: true;
      parts: number;
      partZero: { start: number; end: number } | null;
      jsonParts: { start: number; end: number; numbered: boolean }[];
      /** a part's name starts with `$ACTION_`: the post names a Server Action, as a no-script form does */
      actionFields: boolean;
      /** where the value of the first part named `wanted` lies (null: no such part, or none asked for) */
      wanted: { start: number; end: number } | null;
    }
  | { ok: false; problem: 'malformed' | 'too-many-parts' | 'headers-too-large' };

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const PART_ZERO_NAME = /^content-disposition:[ \t]*form-data[ \t]*;(?:.*;)?[ \t]*name=(?:"0"|0)[ \t]*(?:;|$)/im;
/** A part's field name, quoted (as browsers and Node's FormData write it). */
const PART_NAME = /^content-disposition:[ \t]*form-data[ \t]*;(?:.*;)?[ \t]*name="([^"]*)"/im;
const JSON_PART_NAME = /^content-disposition:[ \t]*form-data[ \t]*;(?:.*;)?[ \t]*name=(?:"(\d+|\$ACTION_\d+:\d+)"|(\d+))[ \t]*(?:;|$)/im;
/**
 * The fields by which Next.js recognises a no-script form's Server Action call: `$ACTION_ID_<id>`
 * (an action id is hex, see {@link isActionIdShaped}) or `$ACTION_REF_<n>` (a bound action, with
 * its `$ACTION_<n>:<m>` data). Any other `$ACTION_…` name (`$ACTION_x`) is no call.
 */
const ACTION_FIELD_NAME = /^content-disposition:[ \t]*form-data[ \t]*;(?:.*;)?[ \t]*name="?\$ACTION_(?:ID_[0-9a-f]{2,128}|REF_\d{1,9})(?:"|[ \t]*(?:;|$))/im;

/**
 * True when a `Next-Action` header value has the shape of a Server Action id: hex, 2–128
 * characters. Next.js 16's ids are 42 hex characters (the build's
 * server-reference-manifest.json: a 2-character type prefix and a 40-character hash); the range
 * leaves room for another length after an upgrade without taking `x` or a URL for an action.
 */
export function isActionIdShaped(value: string | null | undefined): boolean {
  return typeof value === 'string' && /^[0-9a-f]{2,128}$/i.test(value);
}

/**
 * Scan a multipart/form-data body without parsing it: it must start with `--boundary` (browsers
 * and fetch send no preamble) and end with the closing `--boundary--` (an optional CRLF after it),
 * every part must have a header block; parts are counted by their `CRLF--boundary` delimiters with
 * `Buffer.indexOf`. A body cut short (a client that stopped sending, or Next.js's proxy copy cut
 * at proxyClientMaxBodySize) has no closing delimiter and is malformed. The header block of each
 * part is read only to find the part named `0` (a Server Action's argument list). A part's
 * header block over `partHeaderBytes` or `partHeaderLines`, or all blocks together over
 * `multipartHeaderBytes` ({@link REQUEST_LIMITS}), is 'headers-too-large': undici's parser, which
 * Next runs on every multipart POST to a page, spends seconds on millions of header lines.
 * @param body the whole body
 * @param boundary from {@link multipartBoundary}
 * @param maxParts parts allowed; one more is 'too-many-parts'
 * @param wantedField a field name whose first part's value range to report as `wanted` (the
 *   proxy reads the owner hint this way instead of parsing the whole form a second time)
 */
export function scanMultipart(body: Buffer, boundary: string, maxParts: number, wantedField?: string): MultipartScan {
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  if (body.length < opening.length || !body.subarray(0, opening.length).equals(opening)) return { ok: false, problem: 'malformed' };
  const closing = Buffer.from(`\r\n--${boundary}--`);
  let end = body.length;
  if (body.length >= 2 && body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
  // `--boundary--` alone is a form with no fields.
  if (body.subarray(0, end).equals(Buffer.from(`--${boundary}--`))) return { ok: true, parts: 0, partZero: null, jsonParts: [], actionFields: false, wanted: null };
  const closingAt = end - closing.length;
  if (closingAt < opening.length || !body.subarray(closingAt, end).equals(closing)) return { ok: false, problem: 'malformed' };

  let parts = 0;
  let partZero: { start: number; end: number } | null = null;
  const jsonParts: { start: number; end: number; numbered: boolean }[] = [];
  let actionFields = false;
  let wanted: { start: number; end: number } | null = null;
  let headerTotal = 0;
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
    // The header block ends at the first empty line, looked for no further than the cap allows.
    const searchEnd = Math.min(partEnd, start + 2 + REQUEST_LIMITS.partHeaderBytes + 4);
    const headersEnd = body.subarray(0, searchEnd).indexOf(CRLF_CRLF, start);
    if (headersEnd === -1) return { ok: false, problem: searchEnd < partEnd ? 'headers-too-large' : 'malformed' };
    if (headersEnd + 4 > partEnd) return { ok: false, problem: 'malformed' };
    const headerBytes = Math.max(0, headersEnd - (start + 2));
    headerTotal += headerBytes;
    if (headerBytes > REQUEST_LIMITS.partHeaderBytes || headerTotal > REQUEST_LIMITS.multipartHeaderBytes) return { ok: false, problem: 'headers-too-large' };
    const headers = body.toString('latin1', start + 2, headersEnd);
    if (headers.split('\r\n').length > REQUEST_LIMITS.partHeaderLines) return { ok: false, problem: 'headers-too-large' };
    if (!actionFields && ACTION_FIELD_NAME.test(headers)) actionFields = true;
    if (wantedField !== undefined && wanted === null && PART_NAME.exec(headers)?.[1] === wantedField) wanted = { start: headersEnd + 4, end: partEnd };
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
  return { ok: true, parts, partZero, jsonParts, actionFields, wanted };
}

/** What {@link scanJson} found in JSON text: its deepest nesting and its count of values. */
export type JsonShape = {
  /** greatest nesting of `[` and `{` (0 for a bare value) */
  depth: number;
  /** `,` and `:` outside strings: one less than the values of a flat array, two per object key */
  separators: number;
};

/**
 * The nesting and the number of separators of JSON text, skipping strings (a bracket, comma or
 * colon inside a string, escaped quotes included, does not count) — one pass, no parsing. Not a
 * validator: reads unbalanced text without complaint, and stops as soon as either count passes
 * its limit (the returned count is then one over it), so a hostile 12 MB body is not walked to
 * its end.
 * @param bytes UTF-8 JSON (any ASCII-compatible encoding works: only ASCII bytes matter)
 * @param limits stop once `depth` or `separators` passes these
 * @param start first byte to scan
 * @param end one past the last byte to scan
 */
export function scanJson(
  bytes: Uint8Array,
  { depth: maxDepth = Number.MAX_SAFE_INTEGER, separators: maxSeparators = Number.MAX_SAFE_INTEGER }: { depth?: number; separators?: number } = {},
  start = 0,
  end = bytes.length,
): JsonShape {
  let depth = 0;
  let deepest = 0;
  let separators = 0;
  let inString = false;
  for (let i = start; i < end; i += 1) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === COMMA || byte === COLON) {
      separators += 1;
      if (separators > maxSeparators) break;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > maxDepth) break;
      }
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth -= 1;
    }
  }
  return { depth: deepest, separators };
}

/**
 * The greatest nesting of `[` and `{` in JSON text ({@link scanJson}'s depth), stopping and
 * returning `stopAbove + 1` as soon as the nesting passes `stopAbove`.
 * @param bytes UTF-8 JSON (any ASCII-compatible encoding works: only ASCII bytes matter)
 */
export function jsonNestingDepth(bytes: Uint8Array, stopAbove: number = Number.MAX_SAFE_INTEGER, start = 0, end = bytes.length): number {
  return scanJson(bytes, { depth: stopAbove }, start, end).depth;
}

/** The same scan over a JavaScript string (headers arrive as strings). */
function stringNestingDepth(text: string, stopAbove: number): number {
  return jsonNestingDepth(Buffer.from(text, 'utf8'), stopAbove);
}

/** A range of the body that React's decoder JSON.parses, and what to say when it is not JSON. */
type JsonRange = { start: number; end: number; notJson: string };

/** True when `bytes[start, end)` parses as JSON (called only after the scans made that cheap). */
function parsesAsJson(bytes: Buffer, { start, end }: JsonRange): boolean {
  try {
    JSON.parse(bytes.toString('utf8', start, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * The JSON of one Server Action call (or of a no-script post's bound-action data), the ranges
 * React's decoder parses and walks before any action runs. Refused in this order, cheapest first:
 * more than `actionJsonBytes` together → 413; one range nested deeper than `jsonDepth` → 400; more
 * than `actionJsonValues` separators together → 413; a range that is not JSON → 400.
 */
function checkActionJson(body: Buffer, ranges: readonly JsonRange[]): GuardVerdict {
  let bytes = 0;
  for (const { start, end } of ranges) bytes += end - start;
  if (bytes > REQUEST_LIMITS.actionJsonBytes) return tooLarge('Server Action arguments too large');
  let separators = 0;
  for (const { start, end } of ranges) {
    const shape = scanJson(body, { depth: REQUEST_LIMITS.jsonDepth, separators: REQUEST_LIMITS.actionJsonValues - separators }, start, end);
    if (shape.depth > REQUEST_LIMITS.jsonDepth) return malformed('nested too deeply');
    separators += shape.separators;
    if (separators > REQUEST_LIMITS.actionJsonValues) return tooLarge('too many values in Server Action arguments');
  }
  for (const range of ranges) if (!parsesAsJson(body, range)) return malformed(range.notJson);
  return PASS;
}

/** What {@link checkRequestBody} needs to know of a request besides its body. */
export type BodyRequestInfo = {
  /** The Content-Type header, or '' */
  contentType: string;
  /** True when the request carries a `Next-Action` header (a Server Action call from a script). */
  isServerActionCall: boolean;
};

/** {@link inspectRequestBody}'s answer: the verdict, and whether the post names a Server Action in its fields. */
export type BodyInspection = {
  verdict: GuardVerdict;
  /**
   * A multipart post with a `$ACTION_…` field: a no-script form's Server Action call (`$ACTION_ID_<id>`,
   * or `$ACTION_REF_<n>` with its bound data), which Next.js decodes without a `Next-Action` header.
   */
  namesServerAction: boolean;
  /**
   * The value of the field `wantedField` named (UTF-8): null when the post is multipart without
   * it; undefined when none was asked for, the body is not multipart, or it was refused (then ask
   * a form parser, if the answer still matters).
   */
  wantedValue?: string | null;
};

/**
 * Refuse a request body before anything parses it:
 * - over {@link REQUEST_LIMITS}.bodyBytes → 413;
 * - url-encoded over `urlEncodedBytes`, or with more than `fields` fields → 413;
 * - multipart: no valid boundary, a body not framed by it, a part without headers → 400; more than
 *   `fields` parts, a part's headers over `partHeaderBytes`/`partHeaderLines` or all parts'
 *   headers over `multipartHeaderBytes` → 413; a part named `0` (a Server Action's argument list; never a field of
 *   ours) nested deeper than `jsonDepth` → 400;
 * - application/json or text/plain nested deeper than `jsonDepth` → 400 (only these two and part
 *   `0` are scanned: user text in other fields may hold any brackets);
 * - the JSON of a Server Action call — the whole body when it is not multipart; else part `0`, the
 *   further numbered parts (`1`, `2` …) and any `$ACTION_<n>:<m>` part (a no-script form's
 *   bound-action data, in any multipart post) — over `actionJsonBytes` together, or with more than
 *   `actionJsonValues` separators together → 413; nested deeper than `jsonDepth`, or a range that
 *   is not JSON → 400. React's decoder parses and walks all of it before any action runs, and
 *   Next.js answers 500 when it throws;
 * - a Server Action call (`Next-Action`) without a part `0` in a multipart body → 400.
 * This is the cheapest check that does not read React's format: byte counts, one scan, and
 * JSON.parse of what the scan has bounded.
 * @param info the request's content type and whether it is a Server Action call
 * @param body the whole body as received
 * @param wantedField a field whose value to report as `wantedValue` (multipart bodies only)
 */
export function inspectRequestBody(info: BodyRequestInfo, body: Buffer, wantedField?: string): BodyInspection {
  if (body.length > REQUEST_LIMITS.bodyBytes) return { verdict: tooLarge('request body too large'), namesServerAction: false };
  const type = info.contentType.toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    if (body.length > REQUEST_LIMITS.urlEncodedBytes) return { verdict: tooLarge('url-encoded body too large'), namesServerAction: false };
    return { verdict: countUrlEncodedFields(body, REQUEST_LIMITS.fields) > REQUEST_LIMITS.fields ? tooLarge('too many form fields') : PASS, namesServerAction: false };
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = multipartBoundary(info.contentType);
    if (!boundary) return { verdict: malformed('multipart body without a boundary'), namesServerAction: false };
    const scan = scanMultipart(body, boundary, REQUEST_LIMITS.fields, wantedField);
    if (!scan.ok) {
      const verdict = scan.problem === 'too-many-parts' ? tooLarge('too many form fields') : scan.problem === 'headers-too-large' ? tooLarge('multipart part headers too large') : malformed('malformed multipart body');
      return { verdict, namesServerAction: false };
    }
    const wantedValue = wantedField === undefined ? undefined : scan.wanted ? body.toString('utf8', scan.wanted.start, scan.wanted.end) : null;
    const inspection = (verdict: GuardVerdict): BodyInspection => ({ verdict, namesServerAction: scan.actionFields, ...(wantedField === undefined ? {} : { wantedValue }) });
    const ranges: JsonRange[] = [];
    if (scan.partZero) {
      const { start, end } = scan.partZero;
      if (info.isServerActionCall) ranges.push({ start, end, notJson: 'argument list is not JSON' });
      else if (jsonNestingDepth(body, REQUEST_LIMITS.jsonDepth, start, end) > REQUEST_LIMITS.jsonDepth) return inspection(malformed('nested too deeply'));
    } else if (info.isServerActionCall) {
      return inspection(malformed('no argument list'));
    }
    for (const part of scan.jsonParts) {
      // Numbered parts are JSON only in a Server Action call; `$ACTION_<n>:<m>` parts always are.
      if (part.numbered && !info.isServerActionCall) continue;
      ranges.push({ start: part.start, end: part.end, notJson: 'a data part is not JSON' });
    }
    return inspection(checkActionJson(body, ranges));
  }
  // Next.js reads a Server Action call's body of any other type as text holding JSON.
  if (info.isServerActionCall) return { verdict: checkActionJson(body, [{ start: 0, end: body.length, notJson: 'argument list is not JSON' }]), namesServerAction: false };
  if (type === '' || type.startsWith('text/plain') || type.startsWith('application/json')) {
    if (jsonNestingDepth(body, REQUEST_LIMITS.jsonDepth) > REQUEST_LIMITS.jsonDepth) return { verdict: malformed('nested too deeply'), namesServerAction: false };
  }
  return { verdict: PASS, namesServerAction: false };
}

/**
 * The verdict of {@link inspectRequestBody} alone.
 * @param info the request's content type and whether it is a Server Action call
 * @param body the whole body as received
 */
export function checkRequestBody(info: BodyRequestInfo, body: Buffer): GuardVerdict {
  return inspectRequestBody(info, body).verdict;
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
