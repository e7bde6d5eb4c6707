import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import {
  REQUEST_LIMITS,
  checkContentLength,
  checkPath,
  checkRequestBody,
  checkRouterStateHeader,
  countUrlEncodedFields,
  inspectRequestBody,
  isActionIdShaped,
  jsonNestingDepth,
  multipartBoundary,
  refusalResponse,
  scanJson,
  scanMultipart,
} from './request-guard';

/** React's own encoder of Server Action arguments, the one the browser runs (Next's compiled copy). */
const { encodeReply } = createRequire(import.meta.url)('next/dist/compiled/react-server-dom-webpack/client.node') as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};

const b = (text: string) => Buffer.from(text, 'utf8');

/** A multipart body as browsers and fetch send it: `--B`, parts, `--B--` and a final CRLF. */
function multipart(boundary: string, parts: [string, string][]): string {
  return parts.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('') + `--${boundary}--\r\n`;
}

/** The bytes a real FormData is sent as (undici's encoder), with its Content-Type. */
async function encoded(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

const isNextRouterState = (value: string) => parseAndValidateFlightRouterState(value) !== undefined;

describe('countUrlEncodedFields', () => {
  it('counts fields by their & separators', () => {
    expect(countUrlEncodedFields(b(''))).toBe(0);
    expect(countUrlEncodedFields(b('a=1'))).toBe(1);
    expect(countUrlEncodedFields(b('a=1&b=2&c=%26'))).toBe(3);
    expect(countUrlEncodedFields(b('a=1&&'))).toBe(3);
  });

  it('stops counting past the limit (a 100,000-field body is not walked to its end)', () => {
    const body = b(Array.from({ length: 100_000 }, (_, i) => `f${i}=x`).join('&'));
    expect(countUrlEncodedFields(body)).toBe(100_000);
    expect(countUrlEncodedFields(body, 10)).toBe(11);
  });
});

describe('multipartBoundary', () => {
  it('reads a boundary, quoted or not, and refuses a missing or over-long one', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----formdata-undici-0123')).toBe('----formdata-undici-0123');
    expect(multipartBoundary('multipart/form-data; boundary="a b:c"')).toBe('a b:c');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; BOUNDARY=xyz')).toBe('xyz');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary('multipart/form-data; boundary=')).toBeNull();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
  });
});

describe('scanMultipart', () => {
  it('counts the parts of a body a browser would send and finds part 0', () => {
    const text = multipart('xyz', [['_1_title', 'a'], ['0', '[{},"$K1"]']]);
    const scan = scanMultipart(b(text), 'xyz', 10);
    expect(scan).toMatchObject({ ok: true, parts: 2 });
    if (!scan.ok || !scan.partZero) throw new Error('part 0 not found');
    expect(text.slice(scan.partZero.start, scan.partZero.end)).toBe('[{},"$K1"]');
  });

  it('agrees with a real FormData encoding, files and empty values included', async () => {
    const form = new FormData();
    form.append('a', '');
    form.append('photo', new Blob([new Uint8Array([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d])], { type: 'image/jpeg' }), 'x.jpg');
    form.append('0', '["$K1"]');
    const { body, contentType } = await encoded(form);
    expect(scanMultipart(body, multipartBoundary(contentType)!, 10)).toMatchObject({ ok: true, parts: 3 });
    const empty = await encoded(new FormData());
    expect(scanMultipart(empty.body, multipartBoundary(empty.contentType)!, 10)).toMatchObject({ ok: true, parts: 0 });
  });

  it('finds the value of one named field as FormData encodes it, the first of several, and only by its name', async () => {
    const form = new FormData();
    form.append('title', 'name="_keptOwner" in a value');
    form.append('_keptOwner', 'hint-1 한');
    form.append('_keptOwner', 'second');
    const { body, contentType } = await encoded(form);
    const inspected = inspectRequestBody({ contentType, isServerActionCall: false }, body, '_keptOwner');
    expect(inspected).toMatchObject({ verdict: { ok: true }, wantedValue: 'hint-1 한' });
    expect(inspectRequestBody({ contentType, isServerActionCall: false }, body, 'absent').wantedValue).toBeNull();
    expect('wantedValue' in inspectRequestBody({ contentType, isServerActionCall: false }, body)).toBe(false);
    // Not multipart: left to a form parser.
    expect(inspectRequestBody({ contentType: 'application/x-www-form-urlencoded', isServerActionCall: false }, b('_keptOwner=x'), '_keptOwner').wantedValue).toBeUndefined();
  });

  it('takes the boundary text inside a value for what it is only at the start of a line', () => {
    expect(scanMultipart(b(multipart('xyz', [['a', 'text with --xyz inside']])), 'xyz', 10)).toMatchObject({ ok: true, parts: 1 });
  });

  it('refuses bodies not framed by the boundary: cut short, no opening, garbage, a part without headers', () => {
    for (const text of [
      '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n[broken',
      'garbage',
      '',
      'preamble\r\n' + multipart('xyz', [['a', '1']]),
      multipart('xyz', [['a', '1']]).replace('--xyz--\r\n', '--xyz\r\n'),
      '--xyz\r\nno blank line after the headers\r\n--xyz--',
      '--xyz--junk',
      multipart('xyz', [['a', '1']]) + 'epilogue\r\n--xyz--',
      '--xyzX\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--',
    ]) {
      expect(scanMultipart(b(text), 'xyz', 10), JSON.stringify(text.slice(0, 60))).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('stops at one part over the limit', () => {
    const parts = Array.from({ length: 11 }, (_, i): [string, string] => [`f${i}`, 'x']);
    expect(scanMultipart(b(multipart('q', parts)), 'q', 10)).toEqual({ ok: false, problem: 'too-many-parts' });
    expect(scanMultipart(b(multipart('q', parts)), 'q', 11)).toMatchObject({ ok: true, parts: 11 });
  });

  it('refuses two argument lists (two parts named 0)', () => {
    expect(scanMultipart(b(multipart('q', [['0', '[]'], ['0', '[[[[]]]]']])), 'q', 10)).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('jsonNestingDepth', () => {
  it('counts nesting of arrays and objects', () => {
    expect(jsonNestingDepth(b('1'))).toBe(0);
    expect(jsonNestingDepth(b('[]'))).toBe(1);
    expect(jsonNestingDepth(b('[{"a":[1,{"b":2}]},[]]'))).toBe(4);
  });

  it('ignores brackets inside strings, escaped quotes and backslashes included', () => {
    expect(jsonNestingDepth(b('["[[[[{{{{"]'))).toBe(1);
    expect(jsonNestingDepth(b('["a\\"[[[[", "]]]"]'))).toBe(1);
    expect(jsonNestingDepth(b('["a\\\\", [[1]]]'))).toBe(3);
    expect(jsonNestingDepth(b('{"k\\"{": "\\u005b[", "v": {}}'))).toBe(2);
    expect(jsonNestingDepth(b('["한국어 [ 텍스트 {", [1]]'))).toBe(2);
  });

  it('stops one level past the limit on a hostile body', () => {
    const deep = b('['.repeat(1_000_000));
    expect(jsonNestingDepth(deep, 32)).toBe(33);
  });

  it('scans only the given range', () => {
    const text = b('xx[[[]]]yy[[');
    expect(jsonNestingDepth(text, 100, 2, 8)).toBe(3);
  });
});

describe('checkRequestBody', () => {
  const action = (contentType: string, body: string | Buffer) => checkRequestBody({ contentType, isServerActionCall: true }, typeof body === 'string' ? b(body) : body);
  const plain = (contentType: string, body: string | Buffer) => checkRequestBody({ contentType, isServerActionCall: false }, typeof body === 'string' ? b(body) : body);

  it('passes what our pages send: a React call, a no-script form, a url-encoded sign-in, autosave JSON', async () => {
    const call = new FormData();
    call.append('_1_title', 'Trucks [at night] {x}');
    call.append('0', '[{"seq":0,"values":{"vehicles":[{"count":"1"}]}},"$K1"]');
    const encodedCall = await encoded(call);
    expect(action(encodedCall.contentType, encodedCall.body)).toEqual({ ok: true });
    const noScript = new FormData();
    noScript.append('$ACTION_ID_abc', '');
    noScript.append('narrative', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ user text');
    const encodedNoScript = await encoded(noScript);
    expect(plain(encodedNoScript.contentType, encodedNoScript.body)).toEqual({ ok: true });
    expect(plain('application/x-www-form-urlencoded', 'csrfToken=x&codeName=a&password=b')).toEqual({ ok: true });
    expect(action('text/plain;charset=UTF-8', '[{"title":"a [b] {c}"}]')).toEqual({ ok: true });
  });

  it('passes the largest form the app sends (the report form with every row section full)', async () => {
    const form = new FormData();
    for (let i = 0; i < 800; i += 1) form.append(`_1_field${i}`, 'x');
    form.append('0', '[{},"$K1"]');
    const { body, contentType } = await encoded(form);
    expect(action(contentType, body)).toEqual({ ok: true });
  });

  it('refuses more fields than the limit with 413, url-encoded or multipart', async () => {
    const many = Array.from({ length: REQUEST_LIMITS.fields + 1 }, (_, i) => `f${i}=x`).join('&');
    expect(plain('application/x-www-form-urlencoded', many)).toMatchObject({ ok: false, status: 413 });
    const form = new FormData();
    for (let i = 0; i <= REQUEST_LIMITS.fields; i += 1) form.append(`_1_f${i}`, 'x');
    form.append('0', '[]');
    const { body, contentType } = await encoded(form);
    expect(action(contentType, body)).toMatchObject({ ok: false, status: 413 });
  });

  it('refuses a body over the size limit with 413', () => {
    expect(plain('application/octet-stream', Buffer.alloc(REQUEST_LIMITS.bodyBytes + 1))).toMatchObject({ ok: false, status: 413 });
  });

  it('refuses deep nesting in a JSON body and in part 0 with 400, not in other parts', async () => {
    const deep = `${'['.repeat(REQUEST_LIMITS.jsonDepth + 1)}${']'.repeat(REQUEST_LIMITS.jsonDepth + 1)}`;
    expect(action('text/plain;charset=UTF-8', deep)).toMatchObject({ ok: false, status: 400 });
    expect(plain('application/json', deep)).toMatchObject({ ok: false, status: 400 });
    expect(plain('text/plain', deep)).toMatchObject({ ok: false, status: 400 });
    expect(action(`multipart/form-data; boundary=q`, multipart('q', [['0', deep]]))).toMatchObject({ ok: false, status: 400 });
    expect(action(`multipart/form-data; boundary=q`, multipart('q', [['_1_note', deep], ['0', '[{},"$K1"]']]))).toEqual({ ok: true });
  });

  it('refuses malformed multipart with 400', () => {
    expect(plain('multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n[broken')).toMatchObject({ ok: false, status: 400 });
    expect(plain('multipart/form-data', 'a=b')).toMatchObject({ ok: false, status: 400 });
    expect(plain('multipart/form-data; boundary=xyz', 'garbage')).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses a Server Action call whose argument list is missing or not JSON (Next.js answers those with 500)', () => {
    expect(action('text/plain;charset=UTF-8', 'garbage{')).toMatchObject({ ok: false, status: 400 });
    expect(action('', 'garbage')).toMatchObject({ ok: false, status: 400 });
    expect(action('application/octet-stream', 'garbage')).toMatchObject({ ok: false, status: 400 });
    expect(action('multipart/form-data; boundary=q', multipart('q', [['1', 'x']]))).toMatchObject({ ok: false, status: 400 });
    expect(action('multipart/form-data; boundary=q', multipart('q', [['0', '[broken']]))).toMatchObject({ ok: false, status: 400 });
    // Arguments that parse are the action's to refuse (lib/http/server-action.ts).
    expect(action('text/plain;charset=UTF-8', '["a","b"]')).toEqual({ ok: true });
    // Not a Server Action call: text that is not JSON is the page's business.
    expect(plain('text/plain', 'garbage{')).toEqual({ ok: true });
  });

  it("refuses a call whose further numbered parts, or a no-script post whose $ACTION_<n>:<m> parts, are not JSON (React's decoder parses them too)", () => {
    const mp = 'multipart/form-data; boundary=q';
    expect(action(mp, multipart('q', [['0', '["$1"]'], ['1', '{broken']]))).toMatchObject({ ok: false, status: 400 });
    expect(action(mp, multipart('q', [['0', '["$1"]'], ['1', `${'['.repeat(100_000)}`]]))).toMatchObject({ ok: false, status: 400 });
    expect(action(mp, multipart('q', [['0', '["$1"]'], ['1', '{"a":[1,2]}']]))).toEqual({ ok: true });
    expect(plain(mp, multipart('q', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{broken'], ['$ACTION_KEY', 'k']]))).toMatchObject({ ok: false, status: 400 });
    expect(plain(mp, multipart('q', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"ab","bound":"$@1"}'], ['$ACTION_1:1', '[]'], ['$ACTION_KEY', 'k']]))).toEqual({ ok: true });
    // A plain form's field that happens to be numbered is the form's business, not JSON.
    expect(plain(mp, multipart('q', [['1', 'free text [']]))).toEqual({ ok: true });
  });
});

describe('scanJson', () => {
  it('counts commas and colons outside strings, with the depth, in one pass', () => {
    expect(scanJson(b('[]'))).toEqual({ depth: 1, separators: 0 });
    expect(scanJson(b('[{"a":1,"b":[2,3]},"x,y:z"]'))).toEqual({ depth: 3, separators: 5 });
    expect(scanJson(b('["a\\",":",",\\\",:"]'))).toEqual({ depth: 1, separators: 2 });
  });

  it('stops one separator past the limit on a hostile body', () => {
    const zeros = b(`[${Array(5_500_000).fill('0').join(',')}]`);
    const started = performance.now();
    expect(scanJson(zeros, { separators: 20_000 }).separators).toBe(20_001);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

/** The report form's values with every field at its length limit and every row section full, typed with `ch`. */
function fullestReportValues(ch: string) {
  const L = REPORT_LIMITS;
  const t = (n: number) => ch.repeat(n);
  const id = 'x'.repeat(L.referenceIdMaxChars);
  return {
    clientId: '3b241101-e2bb-4255-8caf-4136c566a962',
    observedFrom: '2018-07-12T19:30',
    observedFromChoice: 'earlier',
    observedTo: '2018-07-13T04:30',
    observedToChoice: 'earlier',
    timeZone: 'Asia/Pyongyang',
    timeNote: t(L.timeNoteMaxChars),
    placeId: id,
    placeDetail: t(L.placeDetailMaxChars),
    placePrecision: 'approximate',
    title: t(L.titleMaxChars),
    narrative: t(L.narrativeMaxChars),
    sourceType: 'direct_observation',
    safetyNote: t(L.safetyNoteMaxChars),
    vehicles: Array.from({ length: L.vehicleRowsMax }, () => ({ vehicleType: id, count: '100000', isEstimate: true, direction: 'outbound', colours: t(L.coloursMaxChars), cargo: t(L.cargoMaxChars) })),
    goods: Array.from({ length: L.goodsRowsMax }, () => ({ categoryId: id, description: t(L.goodsDescriptionMaxChars), direction: 'outbound', quantity: '1000000000000.000000', unit: t(L.unitMaxChars), value: '1000000000000.000000', currency: 'KPW' })),
    agencies: Array.from({ length: L.agencyRowsMax }, () => ({ agencyId: 'other', otherName: t(L.otherAgencyNameMaxChars), role: id, note: t(L.agencyNoteMaxChars) })),
  };
}

/** The body and Content-Type React's encodeReply makes of `args`, as the browser sends them. */
async function reactCall(args: unknown[]): Promise<{ body: Buffer; contentType: string }> {
  const reply = await encodeReply(args);
  if (typeof reply === 'string') return { body: b(reply), contentType: 'text/plain;charset=UTF-8' };
  return encoded(reply);
}

describe("the JSON budget of a Server Action call (React's decoder walks all of it before any action runs)", () => {
  const action = (contentType: string, body: string | Buffer) => checkRequestBody({ contentType, isServerActionCall: true }, typeof body === 'string' ? b(body) : body);

  it("passes the largest calls the app makes, as React encodes them: autosave's values and the report form's state with every field full, typed in Hangul", async () => {
    const values = fullestReportValues('가');
    const autosave = await reactCall([values]);
    expect(autosave.contentType, 'autosave is one JSON text body').toMatch(/^text\/plain/);
    expect(autosave.body.length).toBeGreaterThan(350_000);
    expect(action(autosave.contentType, autosave.body)).toEqual({ ok: true });

    const form = new FormData();
    const fieldErrors: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(values)) {
      if (Array.isArray(value)) continue;
      form.append(name, String(value));
      fieldErrors[name] = ['report.errors.narrativeTooLong'];
    }
    for (const section of ['vehicles', 'goods', 'agencies'] as const) {
      values[section].forEach((row, i) => {
        for (const [field, value] of Object.entries(row)) {
          form.append(`${section}.${i}.${field}`, String(value));
          fieldErrors[`${section}.${i}.${field}`] = ['report.errors.narrativeTooLong'];
        }
      });
    }
    form.append('intent', 'save');
    const state = { seq: 12, values, status: 'savedWithProblems', message: 'report.errors.fixFields', fieldErrors, formErrors: ['report.errors.fixFields'], timeOptions: {}, placeQuery: 'x'.repeat(100), placeMatches: Array.from({ length: 50 }, (_, i) => `kp-place-${i}`), focus: null, savedAt: 1_700_000_000_000, reportId: 123_456 };
    const reportForm = await reactCall([state, form]);
    const scan = scanMultipart(reportForm.body, multipartBoundary(reportForm.contentType)!, 10_000);
    if (!scan.ok || !scan.partZero) throw new Error('no part 0');
    const json = reportForm.body.subarray(scan.partZero.start, scan.partZero.end);
    // The figures docs/security/README.md "Request limits" gives: 430 KB and 3,210 separators.
    expect(json.length).toBeGreaterThan(400_000);
    expect(json.length * 2).toBeLessThan(REQUEST_LIMITS.actionJsonBytes);
    expect(scanJson(json).separators * 5).toBeLessThan(REQUEST_LIMITS.actionJsonValues);
    expect(action(reportForm.contentType, reportForm.body)).toEqual({ ok: true });
  });

  it("refuses the attacker's large shallow bodies with 413 in milliseconds: 600,000 keys (6.8 MB), 900,000 objects, 5.5 million zeros", () => {
    const bodies = [
      `[{${Array.from({ length: 600_000 }, (_, i) => `"k${i}":0`).join(',')}}]`,
      `[${Array(900_000).fill('{"a":1}').join(',')}]`,
      `[${Array(5_500_000).fill('0').join(',')}]`,
    ].map(b);
    for (const body of bodies) {
      const started = performance.now();
      expect(action('text/plain', body)).toEqual({ ok: false, status: 413, reason: 'Server Action arguments too large' });
      expect(performance.now() - started).toBeLessThan(20);
    }
    const mp = 'multipart/form-data; boundary=q';
    const bigPart = `[${Array(300_000).fill('0').join(',')}]`;
    expect(action(mp, multipart('q', [['0', bigPart]]))).toMatchObject({ ok: false, status: 413 });
    // Part 0 and the further JSON parts count together.
    const half = `[${Array(140_000).fill('0').join(',')}]`;
    expect(action(mp, multipart('q', [['0', '["$1","$2"]'], ['1', half], ['2', half]]))).toMatchObject({ ok: false, status: 413 });
    // A no-script form's bound-action data is decoded by React too.
    const noScript = checkRequestBody({ contentType: mp, isServerActionCall: false }, b(multipart('q', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"ab","bound":"$@1"}'], ['$ACTION_1:1', bigPart]])));
    expect(noScript).toMatchObject({ ok: false, status: 413 });
  });

  it('refuses more than 20,000 values under 1 MiB with 413, counted across part 0 and the other JSON parts', () => {
    const values = (n: number) => `[${Array(n).fill('0').join(',')}]`;
    expect(action('text/plain', values(REQUEST_LIMITS.actionJsonValues + 1))).toEqual({ ok: true });
    expect(action('text/plain', values(REQUEST_LIMITS.actionJsonValues + 2))).toEqual({ ok: false, status: 413, reason: 'too many values in Server Action arguments' });
    expect(action('text/plain', `[{${Array.from({ length: 10_001 }, (_, i) => `"k${i}":0`).join(',')}}]`)).toMatchObject({ ok: false, status: 413 });
    const mp = 'multipart/form-data; boundary=q';
    const half = values(REQUEST_LIMITS.actionJsonValues / 2 + 1);
    expect(action(mp, multipart('q', [['0', '["$1"]'], ['1', half]]))).toEqual({ ok: true });
    expect(action(mp, multipart('q', [['0', '["$1","$2"]'], ['1', half], ['2', half]]))).toMatchObject({ ok: false, status: 413 });
    // Commas and colons in strings are text: a 60 KB narrative full of them is one value.
    expect(action('text/plain', JSON.stringify([{ narrative: ',:'.repeat(30_000) }]))).toEqual({ ok: true });
  });

  it('marks a multipart post that names a Server Action in its fields (a no-script call), and no other', async () => {
    const noScript = new FormData();
    noScript.append('$ACTION_ID_abc', '');
    noScript.append('title', 'x');
    const ref = new FormData();
    ref.append('$ACTION_REF_1', '');
    ref.append('$ACTION_1:0', '{"id":"ab","bound":null}');
    const plainForm = new FormData();
    plainForm.append('title', '$ACTION_ID_ in text');
    const inspect = async (form: FormData) => {
      const { body, contentType } = await encoded(form);
      return inspectRequestBody({ contentType, isServerActionCall: false }, body);
    };
    expect(await inspect(noScript)).toEqual({ verdict: { ok: true }, namesServerAction: true });
    expect(await inspect(ref)).toEqual({ verdict: { ok: true }, namesServerAction: true });
    expect(await inspect(plainForm)).toEqual({ verdict: { ok: true }, namesServerAction: false });
  });

  it('does not take a field named $ACTION_x, $ACTION_ID_ with no hex id or $ACTION_KEY for a Server Action call', async () => {
    for (const name of ['$ACTION_x', '$ACTION_ID_', '$ACTION_ID_zz', '$ACTION_KEY', '$ACTION_REF_']) {
      const form = new FormData();
      form.append(name, 'v');
      const { body, contentType } = await encoded(form);
      expect({ name, names: inspectRequestBody({ contentType, isServerActionCall: false }, body).namesServerAction }).toEqual({ name, names: false });
    }
  });
});

describe('isActionIdShaped', () => {
  it("takes Next.js's action ids (42 hex characters) and refuses anything else", () => {
    expect(isActionIdShaped('7f7be049ca181e35cfb1a66e93aca03ae9e8e04776')).toBe(true);
    expect(isActionIdShaped('AB12')).toBe(true);
    for (const value of ['x', 'a', '', 'https://evil.example/x?token=LEAKQ4', '7f7be049 ca18', 'f'.repeat(129), null, undefined]) expect(isActionIdShaped(value), String(value)).toBe(false);
  });
});

describe('cheap-to-send, costly-to-parse shapes (the attacker retest)', () => {
  const mp = 'multipart/form-data; boundary=XyZ123boundary';
  const plain = (contentType: string, body: string) => checkRequestBody({ contentType, isServerActionCall: false }, b(body));

  it('refuses one part with 2.4 million header lines (11.4 MB) with 413, in linear time', () => {
    const body = '--XyZ123boundary\r\nContent-Disposition: form-data; name="f0"\r\n' + 'A:b\r\n'.repeat(2_400_000) + '\r\nv\r\n--XyZ123boundary--\r\n';
    const started = performance.now();
    expect(plain(mp, body)).toMatchObject({ ok: false, status: 413 });
    // A complexity guard, not a speed measurement (that is `npm run bench`): the scan takes tens of
    // milliseconds here, 300 ms on a loaded 2-core machine; a per-line quadratic walk of 2.4 million
    // lines would take minutes. The bound leaves 15× headroom for load so it never flakes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses 1,999 parts of 700 header lines each, a part of 5 header lines, and header blocks over 256 KiB together', () => {
    const manyLines = Array.from({ length: 1999 }, (_, i) => `--XyZ123boundary\r\nContent-Disposition: form-data; name="f${i}"\r\n` + 'X-A: b\r\n'.repeat(700) + '\r\nv\r\n').join('') + '--XyZ123boundary--\r\n';
    expect(plain(mp, manyLines)).toMatchObject({ ok: false, status: 413 });
    const fiveLines = '--XyZ123boundary\r\nContent-Disposition: form-data; name="f"\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\nv\r\n--XyZ123boundary--\r\n';
    expect(plain(mp, fiveLines)).toMatchObject({ ok: false, status: 413 });
    const longNames = Array.from({ length: 100 }, (_, i) => `--XyZ123boundary\r\nContent-Disposition: form-data; name="${'n'.repeat(3000)}${i}"\r\n\r\nv\r\n`).join('') + '--XyZ123boundary--\r\n';
    expect(plain(mp, longNames)).toMatchObject({ ok: false, status: 413 });
    const oneLongName = `--XyZ123boundary\r\nContent-Disposition: form-data; name="${'%22'.repeat(3_500_000)}"\r\n\r\nv\r\n--XyZ123boundary--\r\n`;
    expect(plain(mp, oneLongName)).toMatchObject({ ok: false, status: 413 });
  });

  it('passes a file whose name is 255 Hangul characters, as Chromium sends it from a page with or without a charset', async () => {
    const form = new FormData();
    form.append('photo', new File([new Uint8Array([0xff, 0xd8, 0xff])], `${'가'.repeat(251)}.jpg`, { type: 'image/jpeg' }));
    form.append('caption', 'x');
    const { body, contentType } = await encoded(form);
    expect(checkRequestBody({ contentType, isServerActionCall: false }, body)).toEqual({ ok: true });
    const ncr = `--q\r\nContent-Disposition: form-data; name="photo"; filename="${'&#44032;'.repeat(251)}.jpg"\r\nContent-Type: image/jpeg\r\n\r\nx\r\n--q--\r\n`;
    expect(plain('multipart/form-data; boundary=q', ncr)).toEqual({ ok: true });
  });

  it('refuses a url-encoded body over 64 KiB with 413 (12 MB of + cost URLSearchParams 2 s), and passes a sign-in', () => {
    expect(plain('application/x-www-form-urlencoded', `a=${'+'.repeat(12_000_000)}`)).toMatchObject({ ok: false, status: 413 });
    expect(plain('application/x-www-form-urlencoded', `${'k'.repeat(REQUEST_LIMITS.urlEncodedBytes)}=v`)).toMatchObject({ ok: false, status: 413 });
    expect(plain('application/x-www-form-urlencoded', `csrfToken=${'a'.repeat(64)}&codeName=${encodeURIComponent('편집자-1')}&password=${'%41'.repeat(200)}&callbackUrl=%2Fpartner&json=true`)).toEqual({ ok: true });
  });
});

describe('checkContentLength', () => {
  it('refuses a declared size over the limit before the body is read, and a malformed one', () => {
    expect(checkContentLength(null)).toEqual({ ok: true });
    expect(checkContentLength(String(REQUEST_LIMITS.bodyBytes))).toEqual({ ok: true });
    expect(checkContentLength(String(REQUEST_LIMITS.bodyBytes + 1))).toMatchObject({ ok: false, status: 413 });
    expect(checkContentLength('-1')).toMatchObject({ ok: false, status: 400 });
    expect(checkContentLength('1e9')).toMatchObject({ ok: false, status: 400 });
  });
});

describe('checkRouterStateHeader', () => {
  const valid = encodeURIComponent(JSON.stringify(['', { children: ['editor', { children: ['__PAGE__', {}, null, null] }, null, null] }, null, 'refetch', 1]));

  it("passes the router's own state and no header", () => {
    expect(checkRouterStateHeader(null, isNextRouterState)).toEqual({ ok: true });
    expect(checkRouterStateHeader(valid, isNextRouterState)).toEqual({ ok: true });
  });

  it('refuses a malformed header with 400: not JSON, bad escapes, too long, too deep, or a shape Next.js does not accept', () => {
    for (const value of ['garbage', '%FF', '%E0%A4%A', '[', 'x'.repeat(REQUEST_LIMITS.routerStateChars + 1), `${'['.repeat(100)}${']'.repeat(100)}`, '{}', '[1]', '["",{},"x"]', '1']) {
      expect(checkRouterStateHeader(value, isNextRouterState), value.slice(0, 30)).toMatchObject({ ok: false, status: 400 });
    }
  });
});

describe('checkPath', () => {
  it('refuses a path whose escapes are not UTF-8, passes any that decodes', () => {
    for (const path of ['/', '/reports/abc', '/reports/%E2%82%AC', '/a%20b', '/editor/reports/12/publish']) expect(checkPath(path), path).toEqual({ ok: true });
    for (const path of ['/reports/%FF', '/api/auth/%C0', '/x/%E0%A4%A', '/%']) expect(checkPath(path), path).toMatchObject({ ok: false, status: 400 });
  });
});

describe('refusalResponse', () => {
  it('is plain text, never cached', async () => {
    const response = refusalResponse({ ok: false, status: 413, reason: 'too many form fields' });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('Request too large: too many form fields.');
  });
});
