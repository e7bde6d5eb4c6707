/**
 * The report form's zod schemas: one family shared by react-hook-form (client, through
 * `zodResolver`) and the server (through validate.ts and the data layer).
 *
 * Input: ReportFormValues (form-values.ts), the form's values as typed — every field a string
 * (number inputs too: register them without `valueAsNumber`), one boolean per vehicle row's
 * "estimate" checkbox, and arrays of rows. Output: the same report normalised — text NFC-normalised, trimmed, CRLF → LF
 * in multi-line fields; counts and amounts parsed to numbers; empty choices, ids and amounts as
 * null; agency rows in the database's shape; local times still 'YYYY-MM-DDTHH:mm' in `timeZone`
 * (validate.ts turns them into UTC instants).
 *
 * - {@link draftSchema}: lenient, for autosave. Only `clientId` is required; everything else may be
 *   empty, but types, lengths, enums and row caps still hold so a draft cannot hold junk.
 * - {@link submitSchema} / {@link buildSubmitSchema}: strict, for submitting. Required parts filled,
 *   rows complete, `to` ≥ `from` and not in the future (approximately, on local strings: see
 *   buildSubmitSchema; the server re-checks on real instants in validate.ts).
 *
 * Both are strict objects: unknown fields, and fields a partner may not set (`status`, `authorId`,
 * `role`, `id`, …), are refused. Every message is an i18n key from messages.ts; turn issues into
 * `{ fieldErrors, formErrors }` with {@link collectReportErrors}.
 *
 * The field builders (one field each: text, choices, ids, counts, amounts, times) live in
 * field-schemas.ts; this module assembles them into rows and reports.
 *
 * Kept light for the client bundle: zod/mini (about 12 KB minified, against about 85 KB for classic
 * zod), the pure enums of db/enums.ts and small local modules — never time.ts or temporal-polyfill.
 * The schemas are ordinary zod 4 schemas: `zodResolver` and `.safeParse` work as with classic zod.
 */
import '@/lib/zod-setup';
import * as z from 'zod/mini';
import {
  AGENCY_ROLES,
  CURRENCIES,
  DIRECTIONS,
  PLACE_PRECISIONS,
  SOURCE_TYPES,
  TIME_ZONES,
  VEHICLE_TYPES,
} from '@/db/enums';
import {
  clientIdField,
  fail,
  INVALID_VALUE,
  isEstimateField,
  nullIfEmpty,
  objectError,
  optionalAgencyId,
  optionalAmount,
  optionalChoice,
  optionalCount,
  optionalLocalDateTime,
  optionalReferenceId,
  optionalText,
  requiredAgencyId,
  requiredChoice,
  requiredCount,
  requiredLocalDateTime,
  requiredReferenceId,
  requiredText,
  transformed,
  type Ctx,
} from './field-schemas';
import { AGENCY_OTHER, type ReportErrors } from './form-values';
import { REPORT_LIMITS } from './limits';
import { currentLocalDateTime, TIME_CHOICES } from './local-date-time';
import { isReportMessageKey, reportMessage, type ReportErrorName, type ReportMessageKey } from './messages';

const L = REPORT_LIMITS;

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

const rowTexts = {
  colours: () => optionalText({ max: L.coloursMaxChars, tooLong: 'coloursTooLong' }),
  cargo: () => optionalText({ max: L.cargoMaxChars, tooLong: 'cargoTooLong' }),
  description: () => optionalText({ max: L.goodsDescriptionMaxChars, tooLong: 'goodsDescriptionTooLong' }),
  unit: () => optionalText({ max: L.unitMaxChars, tooLong: 'unitTooLong' }),
  otherName: () => optionalText({ max: L.otherAgencyNameMaxChars, tooLong: 'otherNameTooLong' }),
  note: () => optionalText({ max: L.agencyNoteMaxChars, tooLong: 'agencyNoteTooLong', multiline: true }),
};

const draftVehicleRow = z.strictObject(
  {
    vehicleType: optionalChoice(VEHICLE_TYPES, { invalid: 'vehicleTypeInvalid' }),
    count: optionalCount(),
    isEstimate: isEstimateField(),
    direction: optionalChoice(DIRECTIONS, { invalid: 'directionInvalid' }),
    colours: rowTexts.colours(),
    cargo: rowTexts.cargo(),
  },
  { error: objectError },
);

const submitVehicleRow = z.strictObject(
  {
    vehicleType: requiredChoice(VEHICLE_TYPES, { invalid: 'vehicleTypeInvalid', required: 'vehicleTypeRequired' }),
    count: requiredCount(),
    isEstimate: isEstimateField(),
    direction: requiredChoice(DIRECTIONS, { invalid: 'directionInvalid', required: 'directionRequired' }),
    colours: rowTexts.colours(),
    cargo: rowTexts.cargo(),
  },
  { error: objectError },
);

const goodsAmountFields = {
  quantity: optionalAmount({ invalid: 'quantityInvalid' }),
  unit: rowTexts.unit(),
  value: optionalAmount({ invalid: 'valueInvalid' }),
  currency: optionalChoice(CURRENCIES, { invalid: 'currencyInvalid' }),
};

const draftGoodsRow = transformed(
  z.strictObject(
    {
      categoryId: optionalReferenceId({ invalid: 'categoryInvalid' }),
      description: rowTexts.description(),
      direction: optionalChoice(DIRECTIONS, { invalid: 'directionInvalid' }),
      ...goodsAmountFields,
    },
    { error: objectError },
  ),
  (row) => ({ ...row, unit: nullIfEmpty(row.unit) }),
);

/**
 * Submit rule for a goods row: a quantity needs its unit and a unit its quantity; a value needs
 * its currency and a currency its value. Runs even when other fields failed (zod's `when`), so
 * every message is kept; fields that failed are skipped.
 */
function checkGoodsPairs(row: Record<string, unknown>, ctx: Ctx) {
  // A field that failed holds no usable value here; only '' / null (left empty) counts as missing.
  if (typeof row.quantity === 'number' && row.unit === '') fail(ctx, 'quantityWithoutUnit', ['unit']);
  if (typeof row.unit === 'string' && row.unit !== '' && row.quantity === null) fail(ctx, 'unitWithoutQuantity', ['quantity']);
  if (typeof row.value === 'number' && row.currency === null) fail(ctx, 'valueWithoutCurrency', ['currency']);
  if (typeof row.currency === 'string' && row.value === null) fail(ctx, 'currencyWithoutValue', ['value']);
}

const submitGoodsRow = transformed(
  z
    .strictObject(
      {
        categoryId: requiredReferenceId({ invalid: 'categoryInvalid', required: 'categoryRequired' }),
        description: rowTexts.description(),
        direction: requiredChoice(DIRECTIONS, { invalid: 'directionInvalid', required: 'directionRequired' }),
        ...goodsAmountFields,
      },
      { error: objectError },
    )
    .check(
      z.superRefine((row, ctx) => checkGoodsPairs(row as unknown as Record<string, unknown>, ctx), { when: () => true }),
    ),
  (row) => ({ ...row, unit: nullIfEmpty(row.unit) }),
);

/**
 * Agency rows in the database shape: a listed agency is `{ agencyId, otherName: null }`; "other"
 * is `{ agencyId: null, otherName }`. A draft may hold both or neither.
 */
function toStoredAgency<R extends { agencyId: string | null; otherName: string }>(row: R) {
  const isOther = row.agencyId === AGENCY_OTHER;
  return { ...row, agencyId: isOther ? null : row.agencyId, otherName: nullIfEmpty(row.otherName) };
}

const draftAgencyRow = transformed(
  z.strictObject(
    {
      agencyId: optionalAgencyId(),
      otherName: rowTexts.otherName(),
      role: optionalChoice(AGENCY_ROLES, { invalid: 'agencyRoleInvalid' }),
      note: rowTexts.note(),
    },
    { error: objectError },
  ),
  toStoredAgency,
);

const submitAgencyRow = transformed(
  z
    .strictObject(
    {
      agencyId: requiredAgencyId(),
      otherName: rowTexts.otherName(),
      role: requiredChoice(AGENCY_ROLES, { invalid: 'agencyRoleInvalid', required: 'agencyRoleRequired' }),
      note: rowTexts.note(),
    },
    { error: objectError },
  )
  .check(
    z.superRefine(
      (row, ctx) => {
        const { agencyId, otherName } = row as unknown as Record<string, unknown>;
        if (agencyId === AGENCY_OTHER && otherName === '') fail(ctx, 'otherNameRequired', ['otherName']);
        // A name typed beside a listed agency would be silently dropped; ask instead.
        if (typeof agencyId === 'string' && agencyId !== AGENCY_OTHER && typeof otherName === 'string' && otherName !== '') {
          fail(ctx, 'otherNameOnlyForOther', ['otherName']);
        }
      },
      { when: () => true },
    ),
  ),
  toStoredAgency,
);

const rows = <T extends z.ZodMiniType>(row: T, maxRows: number, tooMany: ReportErrorName) =>
  z.array(row, { error: INVALID_VALUE }).check(z.maxLength(maxRows, { error: reportMessage(tooMany) }));

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

const timeChoiceField = () => optionalChoice(TIME_CHOICES, { invalid: 'timeChoiceInvalid' });

const sharedFields = {
  clientId: clientIdField(),
  observedFromChoice: timeChoiceField(),
  observedToChoice: timeChoiceField(),
  timeNote: optionalText({ max: L.timeNoteMaxChars, tooLong: 'timeNoteTooLong', multiline: true }),
  placeDetail: optionalText({ max: L.placeDetailMaxChars, tooLong: 'placeDetailTooLong' }),
  safetyNote: optionalText({ max: L.safetyNoteMaxChars, tooLong: 'safetyNoteTooLong', multiline: true }),
};

/**
 * The lenient schema for drafts (autosave, "save draft"). Input ReportFormValues (form-values.ts);
 * output {@link ReportDraft}. Only `clientId` must be filled; every other field may be '' (→ '' for text,
 * null for choices, ids, numbers and times). Still refused: wrong types, unknown or not-settable
 * fields, text over its limit or with control characters, values outside their enums, malformed
 * ids, counts and dates, and more rows than the caps. No cross-field rules (those are for submit).
 */
export const draftSchema = z.strictObject(
  {
    ...sharedFields,
    observedFrom: optionalLocalDateTime(),
    observedTo: optionalLocalDateTime(),
    timeZone: optionalChoice(TIME_ZONES, { invalid: 'timeZoneInvalid' }),
    placeId: optionalReferenceId({ invalid: 'placeInvalid' }),
    placePrecision: optionalChoice(PLACE_PRECISIONS, { invalid: 'placePrecisionInvalid' }),
    title: optionalText({ max: L.titleMaxChars, tooLong: 'titleTooLong' }),
    narrative: optionalText({ max: L.narrativeMaxChars, tooLong: 'narrativeTooLong', multiline: true }),
    sourceType: optionalChoice(SOURCE_TYPES, { invalid: 'sourceTypeInvalid' }),
    vehicles: rows(draftVehicleRow, L.vehicleRowsMax, 'tooManyVehicles'),
    goods: rows(draftGoodsRow, L.goodsRowsMax, 'tooManyGoods'),
    agencies: rows(draftAgencyRow, L.agencyRowsMax, 'tooManyAgencies'),
  },
  { error: objectError },
);

const submitShape = z.strictObject(
  {
    ...sharedFields,
    observedFrom: requiredLocalDateTime('observedFromRequired'),
    observedTo: requiredLocalDateTime('observedToRequired'),
    timeZone: requiredChoice(TIME_ZONES, { invalid: 'timeZoneInvalid', required: 'timeZoneRequired' }),
    placeId: requiredReferenceId({ invalid: 'placeInvalid', required: 'placeRequired' }),
    placePrecision: requiredChoice(PLACE_PRECISIONS, { invalid: 'placePrecisionInvalid', required: 'placePrecisionRequired' }),
    title: requiredText({ max: L.titleMaxChars, tooLong: 'titleTooLong', required: 'titleRequired' }),
    narrative: requiredText({
      max: L.narrativeMaxChars,
      tooLong: 'narrativeTooLong',
      multiline: true,
      required: 'narrativeRequired',
    }),
    sourceType: requiredChoice(SOURCE_TYPES, { invalid: 'sourceTypeInvalid', required: 'sourceTypeRequired' }),
    vehicles: rows(submitVehicleRow, L.vehicleRowsMax, 'tooManyVehicles'),
    goods: rows(submitGoodsRow, L.goodsRowsMax, 'tooManyGoods'),
    agencies: rows(submitAgencyRow, L.agencyRowsMax, 'tooManyAgencies'),
  },
  { error: objectError },
);

export type BuildSubmitSchemaOptions = {
  /** The current UTC instant in ms; read at each parse. Default `Date.now`. */
  now?: () => number;
  /**
   * Check `to` ≥ `from` and "not in the future" on local strings in the chosen zone (default true).
   * Exact except within the minutes around a clock change; validate.ts turns it off and checks
   * real instants instead.
   */
  checkTimesOnLocalClock?: boolean;
};

/**
 * Builds the strict submit schema. Input ReportFormValues (form-values.ts); output
 * {@link ReportSubmission}.
 * Required: clientId, observedFrom, observedTo, timeZone, placeId, placePrecision, title,
 * narrative, sourceType; each row complete (vehicle: type, count, direction; goods: category,
 * direction, quantity with unit, value with currency; agency: agency or 'other' with a name, role).
 * Optional: timeNote, placeDetail, safetyNote, colours, cargo, descriptions, notes, rows.
 *
 * Time rules on the local clock (see options): 'report.errors.timeInFuture' on the field that is
 * later than now in the zone; 'report.errors.toBeforeFrom' on observedTo when it is before
 * observedFrom — skipped when from is the first and to the second occurrence of an ambiguous time,
 * the one case where local order and real order differ in the report's favour.
 */
export function buildSubmitSchema({ now = Date.now, checkTimesOnLocalClock = true }: BuildSubmitSchemaOptions = {}) {
  return submitShape.check(
    z.superRefine((report, ctx) => {
      if (!checkTimesOnLocalClock) return;
      // Runs even when other fields failed (to keep every message); read fields defensively.
      const values = (typeof report === 'object' && report !== null ? report : {}) as Record<string, unknown>;
      const from = typeof values.observedFrom === 'string' ? values.observedFrom : null;
      const to = typeof values.observedTo === 'string' ? values.observedTo : null;
      const timeZone = values.timeZone;
      if (typeof timeZone === 'string' && (TIME_ZONES as readonly string[]).includes(timeZone)) {
        const nowLocal = currentLocalDateTime({ nowMs: now(), timeZone });
        if (from !== null && from > nowLocal) fail(ctx, 'timeInFuture', ['observedFrom']);
        if (to !== null && to > nowLocal) fail(ctx, 'timeInFuture', ['observedTo']);
      }
      const mayBeOrderedByOccurrence = values.observedFromChoice === 'earlier' && values.observedToChoice === 'later';
      if (from !== null && to !== null && to < from && !mayBeOrderedByOccurrence) {
        fail(ctx, 'toBeforeFrom', ['observedTo']);
      }
    }, { when: () => true }),
  );
}

/** The strict submit schema with the clock of the machine it runs on; for `zodResolver` in the form. */
export const submitSchema = buildSubmitSchema();

/** A draft as parsed by {@link draftSchema}. */
export type ReportDraft = z.output<typeof draftSchema>;
/** A report as parsed by {@link submitSchema}: local times still strings (see validate.ts for instants). */
export type ReportSubmission = z.output<typeof submitShape>;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * Turns zod issues into `{ fieldErrors, formErrors }`, keeping EVERY message (in order, without
 * repeats per path). Paths are dotted like the HTML form's field names ('agencies.1.otherName');
 * issues on the whole report (unknown or not-settable fields) go to `formErrors`. A message that
 * is not one of ours (a zod default) becomes 'report.errors.invalidValue', so no English reaches a page.
 */
export function collectReportErrors(issues: readonly z.core.$ZodIssue[]): ReportErrors {
  const byPath = new Map<string, ReportMessageKey[]>();
  const formErrors: ReportMessageKey[] = [];
  for (const issue of issues) {
    const key = isReportMessageKey(issue.message) ? issue.message : INVALID_VALUE;
    const path = issue.path.map(String).join('.');
    const list = path === '' ? formErrors : (byPath.get(path) ?? []);
    if (!list.includes(key)) list.push(key);
    if (path !== '') byPath.set(path, list);
  }
  return { fieldErrors: Object.fromEntries(byPath), formErrors };
}
