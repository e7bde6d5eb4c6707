/**
 * Field builders of the report form's zod schemas (schema.ts assembles them into the draft and
 * submit schemas). Each builder reads one field as typed — a string, or the estimate checkbox's
 * boolean — and outputs it normalised: text NFC-normalised and trimmed, counts and amounts as
 * numbers, empty choices, ids and amounts as null. Every failure is an i18n key from messages.ts
 * (docs/product.md, "A report", for the limits; limits.ts holds them).
 *
 * Kept light for the client bundle like schema.ts: zod/mini and small local modules only — never
 * time.ts or temporal-polyfill.
 */
import '@/lib/zod-setup';
import * as z from 'zod/mini';
import { REPORT_LIMITS } from './limits';
import { formatLocalDateTime, parseLocalDateTime } from './local-date-time';
import { reportMessage, type ReportErrorName } from './messages';
import { AGENCY_OTHER } from './form-values';
import { REPORT_FIELDS_NOT_SETTABLE } from './not-settable';

const L = REPORT_LIMITS;

/** The message of a value of the wrong type or shape. */
export const INVALID_VALUE = reportMessage('invalidValue');

/** Every issue zod raises by itself (wrong type, missing key, unknown key) gets one of our keys. */
export const objectError: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.some((key) => REPORT_FIELDS_NOT_SETTABLE.has(key))
      ? reportMessage('fieldNotAllowed')
      : reportMessage('unknownField');
  }
  return INVALID_VALUE;
};

const baseString = () => z.string({ error: INVALID_VALUE });

/** A parse payload (transform) or refinement context: both collect raw issues in `issues`. */
export type Ctx = z.core.ParsePayload;
/** Adds the message `name` (at `path` below the value, if given) to a parse's issues. */
export const fail = (ctx: Ctx, name: ReportErrorName, path?: PropertyKey[]) => {
  ctx.issues.push({ code: 'custom', message: reportMessage(name), input: ctx.value, ...(path ? { path } : {}) });
};

/** zod/mini spelling of classic zod's `.transform()`. */
export const transformed = <I extends z.ZodMiniType, O>(schema: I, fn: (value: z.output<I>, ctx: Ctx) => O) =>
  z.pipe(schema, z.transform(fn));

/** C0/C1 controls (tab and, in multi-line text, LF allowed) and lone UTF-16 surrogates. */
const FORBIDDEN_CHARACTERS_MULTILINE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_CHARACTERS_SINGLE_LINE =
  /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * NFC normalisation can shorten a string — decomposed Hangul 3 → 1, Greek ᾢ (ω + three marks)
 * 4 → 1 at most — so anything longer than this many times the limit is too long without the cost
 * of normalising megabytes.
 */
const MAX_SHRINK_FACTOR = 8;

/**
 * Normalises text as the limits are defined: NFC, CRLF/CR → LF (a textarea posts CRLF but its
 * `maxLength` counts one per line break), surrounding whitespace trimmed.
 */
export function normaliseReportText(raw: string, { multiline }: { multiline: boolean }): string {
  const nfc = raw.normalize('NFC');
  return (multiline ? nfc.replace(/\r\n?/g, '\n') : nfc).trim();
}

type TextRule = { max: number; tooLong: ReportErrorName; multiline?: boolean };

/** Text that may be empty; output '' when empty. */
export function optionalText({ max, tooLong, multiline = false }: TextRule) {
  return transformed(baseString(), (raw, ctx) => readText(raw, ctx, { max, tooLong, multiline }) ?? z.NEVER);
}

/** Text that must not be empty (after trimming). */
export function requiredText(rule: TextRule & { required: ReportErrorName }) {
  return transformed(baseString(), (raw, ctx) => {
    const text = readText(raw, ctx, rule);
    if (text === '') fail(ctx, rule.required);
    return text === null || text === '' ? z.NEVER : text;
  });
}

function readText(raw: string, ctx: Ctx, { max, tooLong, multiline = false }: TextRule): string | null {
  if (raw.length > max * MAX_SHRINK_FACTOR) {
    fail(ctx, tooLong);
    return null;
  }
  const text = normaliseReportText(raw, { multiline });
  let isValid = true;
  if ((multiline ? FORBIDDEN_CHARACTERS_MULTILINE : FORBIDDEN_CHARACTERS_SINGLE_LINE).test(text)) {
    fail(ctx, 'invalidCharacters');
    isValid = false;
  }
  if (text.length > max) {
    fail(ctx, tooLong);
    isValid = false;
  }
  return isValid ? text : null;
}

type ChoiceRule = { invalid: ReportErrorName };
type ChoiceRead<T> = { kind: 'empty' } | { kind: 'invalid' } | { kind: 'ok'; value: T };

function readChoice<T extends string>(raw: string, values: readonly T[]): ChoiceRead<T> {
  const value = raw.trim();
  if (value === '') return { kind: 'empty' };
  const found = values.find((candidate) => candidate === value);
  return found === undefined ? { kind: 'invalid' } : { kind: 'ok', value: found };
}

/** One of `values`, or '' → null. */
export function optionalChoice<T extends string>(values: readonly T[], { invalid }: ChoiceRule) {
  return transformed(baseString(), (raw, ctx): T | null => {
    const read = readChoice(raw, values);
    if (read.kind === 'ok') return read.value;
    if (read.kind === 'empty') return null;
    fail(ctx, invalid);
    return z.NEVER;
  });
}

/** One of `values`; '' is refused with `required`. */
export function requiredChoice<T extends string>(values: readonly T[], { invalid, required }: ChoiceRule & { required: ReportErrorName }) {
  return transformed(baseString(), (raw, ctx): T => {
    const read = readChoice(raw, values);
    if (read.kind === 'ok') return read.value;
    fail(ctx, read.kind === 'empty' ? required : invalid);
    return z.NEVER;
  });
}

/** Gazetteer, agency and goods-category ids: lower-case slugs ('kp-yanggang'). Existence is the data layer's check. */
const REFERENCE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function readReferenceId(raw: string): ChoiceRead<string> {
  const value = raw.trim();
  if (value === '') return { kind: 'empty' };
  if (value.length > L.referenceIdMaxChars || !REFERENCE_ID_PATTERN.test(value)) return { kind: 'invalid' };
  return { kind: 'ok', value };
}

/** A reference id (see {@link REFERENCE_ID_PATTERN}), or '' → null. */
export function optionalReferenceId({ invalid }: ChoiceRule) {
  return transformed(baseString(), (raw, ctx): string | null => {
    const read = readReferenceId(raw);
    if (read.kind === 'ok') return read.value;
    if (read.kind === 'empty') return null;
    fail(ctx, invalid);
    return z.NEVER;
  });
}

/** A reference id; '' is refused with `required`. */
export function requiredReferenceId({ invalid, required }: ChoiceRule & { required: ReportErrorName }) {
  return transformed(baseString(), (raw, ctx): string => {
    const read = readReferenceId(raw);
    if (read.kind === 'ok') return read.value;
    fail(ctx, read.kind === 'empty' ? required : invalid);
    return z.NEVER;
  });
}

/** Digits typed on a Korean or Japanese keyboard may be full-width ('１２'); NFKC makes them ASCII. */
const numberText = (raw: string) => raw.normalize('NFKC').trim();

type CountRead = { kind: 'empty' } | { kind: 'invalid'; name: ReportErrorName } | { kind: 'ok'; value: number };

function readCount(raw: string): CountRead {
  const text = numberText(raw);
  if (text === '') return { kind: 'empty' };
  if (!/^[+-]?\d+$/.test(text)) return { kind: 'invalid', name: 'countNotWholeNumber' };
  const value = Number(text);
  if (value < L.countMin || value > L.countMax) return { kind: 'invalid', name: 'countOutOfRange' };
  return { kind: 'ok', value: value === 0 ? 0 : value }; // no -0
}

/** A vehicle count: a whole number countMin … countMax (full-width digits accepted), or '' → null. */
export const optionalCount = () =>
  transformed(baseString(), (raw, ctx): number | null => {
    const read = readCount(raw);
    if (read.kind === 'ok') return read.value;
    if (read.kind === 'empty') return null;
    fail(ctx, read.name);
    return z.NEVER;
  });

/** A vehicle count; '' is refused with 'countRequired'. */
export const requiredCount = () =>
  transformed(baseString(), (raw, ctx): number => {
    const read = readCount(raw);
    if (read.kind === 'ok') return read.value;
    fail(ctx, read.kind === 'empty' ? 'countRequired' : read.name);
    return z.NEVER;
  });

const AMOUNT_PATTERN = new RegExp(`^\\d+(?:\\.\\d{1,${L.amountMaxDecimals}})?$`);

/** A goods quantity or value: '' → null, else a decimal 0 … amountMax with '.' as the decimal point. */
export function optionalAmount({ invalid }: ChoiceRule) {
  return transformed(baseString(), (raw, ctx): number | null => {
    const text = numberText(raw);
    if (text === '') return null;
    const value = AMOUNT_PATTERN.test(text) ? Number(text) : Number.NaN;
    if (Number.isFinite(value) && value <= L.amountMax) return value;
    fail(ctx, invalid);
    return z.NEVER;
  });
}

/** RFC 4122/9562 UUID (versions 1–8), as crypto.randomUUID() makes; output lower-case. */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The form's client-generated id (makes submitting idempotent): a UUID, output lower-case. */
export const clientIdField = () =>
  transformed(baseString(), (raw, ctx) => {
    const value = raw.trim().toLowerCase();
    if (UUID_PATTERN.test(value)) return value;
    fail(ctx, 'clientIdInvalid');
    return z.NEVER;
  });

function readLocalDateTime(raw: string): ChoiceRead<string> {
  const value = raw.trim();
  if (value === '') return { kind: 'empty' };
  const parts = parseLocalDateTime(value);
  return parts ? { kind: 'ok', value: formatLocalDateTime(parts) } : { kind: 'invalid' };
}

/** A local date-time 'YYYY-MM-DDTHH:mm' (no zone applied here), or '' → null. */
export const optionalLocalDateTime = () =>
  transformed(baseString(), (raw, ctx): string | null => {
    const read = readLocalDateTime(raw);
    if (read.kind === 'ok') return read.value;
    if (read.kind === 'empty') return null;
    fail(ctx, 'dateTimeInvalid');
    return z.NEVER;
  });

/** A local date-time; '' is refused with `required`. */
export const requiredLocalDateTime = (required: ReportErrorName) =>
  transformed(baseString(), (raw, ctx): string => {
    const read = readLocalDateTime(raw);
    if (read.kind === 'ok') return read.value;
    fail(ctx, read.kind === 'empty' ? required : 'dateTimeInvalid');
    return z.NEVER;
  });

/** The vehicle row's "the number is an estimate" checkbox. */
export const isEstimateField = () => z.boolean({ error: INVALID_VALUE });


/** '' → null, so a unit or other-agency name matches the database's nullable column. */
export const nullIfEmpty = (text: string) => (text === '' ? null : text);

/** A listed agency id, or 'other'. */
function readAgencyId(raw: string): ChoiceRead<string> {
  return raw.trim() === AGENCY_OTHER ? { kind: 'ok', value: AGENCY_OTHER } : readReferenceId(raw);
}

/** An agency row's agency: a listed agency id or {@link AGENCY_OTHER}, or '' → null. */
export const optionalAgencyId = () =>
  transformed(baseString(), (raw, ctx): string | null => {
    const read = readAgencyId(raw);
    if (read.kind === 'ok') return read.value;
    if (read.kind === 'empty') return null;
    fail(ctx, 'agencyInvalid');
    return z.NEVER;
  });

/** An agency row's agency; '' is refused with 'agencyRequired'. */
export const requiredAgencyId = () =>
  transformed(baseString(), (raw, ctx): string => {
    const read = readAgencyId(raw);
    if (read.kind === 'ok') return read.value;
    fail(ctx, read.kind === 'empty' ? 'agencyRequired' : 'agencyInvalid');
    return z.NEVER;
  });
