/**
 * The HTML report form's FormData → {@link ReportFormValues}, so a form posted without JavaScript
 * is validated by the same schemas as with it (issue 11).
 *
 * Field names (the HTML form must use exactly these):
 * - report fields, one each: `clientId` (hidden, the idempotency UUID), `observedFrom`,
 *   `observedFromChoice`, `observedTo`, `observedToChoice`, `timeZone`, `timeNote`, `placeId`,
 *   `placeDetail`, `placePrecision`, `title`, `narrative`, `sourceType`, `safetyNote`;
 * - row fields, `<section>.<index>.<field>`: `vehicles.N.vehicleType|count|isEstimate|direction|
 *   colours|cargo`, `goods.N.categoryId|description|direction|quantity|unit|value|currency`,
 *   `agencies.N.agencyId|otherName|role|note`. N is a decimal index without leading zeros, below
 *   the section's row cap (50, 50, 30). `vehicles.N.isEstimate` is a checkbox: present = true,
 *   absent = false, whatever its value (do not pair it with a hidden "false" input);
 * - `intent`: the value of the submit button pressed (see {@link parseReportFormIntent});
 * - `placeQuery`: the text of the no-script gazetteer search box (returned apart from the values);
 * - anything starting with `$ACTION_` is Next.js's own and is ignored.
 *
 * Missing fields read as '' (browsers omit unchecked checkboxes, unchosen radios and disabled
 * fields). Rows are ordered by index and renumbered from 0 (gaps close up); a row is EMPTY as
 * form-values.ts isEmptyRow says (every text field missing or only whitespace and, for a vehicle
 * row, its isEstimate checkbox absent; an agency row with no agency ticked and no other agency
 * named). `agencies.N.agencyId` is the agency checklist's checkbox: posted (with the agency's id,
 * or 'other') only when ticked. Empty rows are kept where they are (a row the partner added and
 * has not filled in yet stays on the page, with its number) and `emptyRows` names them; a submit
 * leaves them out with {@link withoutEmptyRows} and reports errors at the rows' numbers on the page
 * with {@link rowErrorsAsPosted}. Select fields should therefore start on an empty '' option, or a
 * new row is never empty.
 *
 * Refused (result `ok: false`, with the values that could be read, so the form can be shown
 * again as typed; the caller then saves nothing — the texts say "Nothing was saved"): keys containing `__proto__`, `constructor` or `prototype`; unknown fields;
 * fields a partner may not set (`status`, `authorId`, `role`, `id`, `version`, …); malformed row
 * indexes or indexes at or beyond the row cap; a field sent twice; a file where text belongs; more
 * than 2,000 entries in all; a value over 100 KB (it is left out of the values, not echoed back);
 * an intent that is not one of ours.
 *
 * Objects are built only from known keys; user-supplied keys only ever index Maps.
 *
 * A no-script round trip: `parseReportFormData(fd)` → on 'add-row' / 'remove-row',
 * {@link applyRowIntent} and render the form again with the new values; on 'save', draftSchema;
 * on 'submit', validate.ts's parseReportForSubmit; on 'search-place', search the gazetteer for
 * `placeQuery` and render again. Next's default Server Action body limit (1 MB) is enough for a
 * full report at every limit (under 800 fields and about 0.5 MB even in Hangul); a larger body
 * is refused by Next before this parser runs, so catch that error in the page too.
 */
import { LOCALES, type Locale } from '@/lib/i18n/config';
import { KEPT_OWNER_FIELD } from './kept-post-fields';
import { REPORT_LIMITS } from './limits';
import { reportMessage, type ReportErrorName, type ReportMessageKey } from './messages';
import { REPORT_FIELDS_NOT_SETTABLE } from './not-settable';
import {
  emptyAgencyRow,
  emptyGoodsRow,
  emptyReportValues,
  emptyVehicleRow,
  isEmptyRow,
  REPORT_ROW_SECTIONS,
  REPORT_SCALAR_FIELDS,
  type AgencyRowValues,
  type GoodsRowValues,
  type ReportFieldErrors,
  type ReportFormValues,
  type ReportRowSection,
  type VehicleRowValues,
} from './form-values';

// ---------------------------------------------------------------------------------------------
// Intents
// ---------------------------------------------------------------------------------------------

/**
 * What the partner asked for with the button they pressed. `index` of 'remove-row' is a position
 * in `values[section]` as returned by {@link parseReportFormData} (null when no row was posted
 * under the button's index).
 */
export type ReportFormIntent =
  | { kind: 'save' }
  | { kind: 'submit' }
  | { kind: 'search-place' }
  /** After a Submit for a report already filed was refused: the same text as a new report (new clientId). */
  | { kind: 'new-from-text' }
  /** Save the draft, then open its photos page (the report form's photo button without scripts). */
  | { kind: 'photos' }
  /** Save the draft, then show the form in another interface language (the form's own language switch). */
  | { kind: 'locale'; locale: Locale }
  | { kind: 'add-row'; section: ReportRowSection }
  | { kind: 'remove-row'; section: ReportRowSection; index: number | null };

/** Button-value names of the row sections: 'add-vehicle', 'remove-goods:3', 'add-agency'. */
const SECTION_BY_INTENT_NAME = new Map<string, ReportRowSection>([
  ['vehicle', 'vehicles'],
  ['goods', 'goods'],
  ['agency', 'agencies'],
]);
const INTENT_NAME_BY_SECTION: Record<ReportRowSection, string> = { vehicles: 'vehicle', goods: 'goods', agencies: 'agency' };

/**
 * A row index as written in a field name or button value: decimal digits without a leading zero
 * (so 'vehicles.01' cannot alias 'vehicles.1'), below the section's row cap.
 */
function readRowIndex(text: string, maxRows: number): number | 'invalid' | 'outOfRange' {
  if (!/^(?:0|[1-9]\d*)$/.test(text)) return 'invalid';
  // Compare lengths first so a 10,000-digit index is not turned into a number.
  if (text.length > String(maxRows).length) return 'outOfRange';
  const index = Number(text);
  return index < maxRows ? index : 'outOfRange';
}

/**
 * Parses a submit button's value: 'save', 'submit', 'search-place', 'new-from-text', 'photos',
 * 'locale:<locale>' (one of LOCALES: 'locale:ko'), 'add-vehicle' | 'add-goods' |
 * 'add-agency', 'remove-vehicle:N' | 'remove-goods:N' | 'remove-agency:N' (N = the row's index in
 * the field names as rendered). Returns null for anything else. An index at or beyond the
 * section's row cap is refused (null) like an unknown value.
 */
export function parseReportFormIntent(raw: string): ReportFormIntent | null {
  if (raw === 'save' || raw === 'submit' || raw === 'search-place' || raw === 'new-from-text' || raw === 'photos') return { kind: raw };
  if (raw.startsWith('locale:')) {
    const locale = LOCALES.find((candidate) => `locale:${candidate}` === raw);
    return locale === undefined ? null : { kind: 'locale', locale };
  }
  const match = /^(add|remove)-([a-z]+)(?::(.*))?$/.exec(raw);
  if (!match) return null;
  const [, action, name, indexText] = match;
  const section = name === undefined ? undefined : SECTION_BY_INTENT_NAME.get(name);
  if (section === undefined) return null;
  if (action === 'add') return indexText === undefined ? { kind: 'add-row', section } : null;
  if (indexText === undefined) return null;
  const index = readRowIndex(indexText, REPORT_ROW_SECTIONS[section].maxRows);
  return typeof index === 'number' ? { kind: 'remove-row', section, index } : null;
}

/**
 * The button value for an intent — the inverse of {@link parseReportFormIntent}, for rendering:
 * `<button name="intent" value={reportFormIntentValue({ kind: 'remove-row', section: 'goods', index: 2 })}>`.
 * A 'remove-row' with a null index has no button (throws RangeError).
 */
export function reportFormIntentValue(intent: ReportFormIntent): string {
  switch (intent.kind) {
    case 'save':
    case 'submit':
    case 'search-place':
    case 'new-from-text':
    case 'photos':
      return intent.kind;
    case 'locale':
      return `locale:${intent.locale}`;
    case 'add-row':
      return `add-${INTENT_NAME_BY_SECTION[intent.section]}`;
    case 'remove-row':
      if (intent.index === null) throw new RangeError('A removed row without an index has no button');
      return `remove-${INTENT_NAME_BY_SECTION[intent.section]}:${intent.index}`;
  }
}

// ---------------------------------------------------------------------------------------------
// FormData
// ---------------------------------------------------------------------------------------------

export type ParseReportFormDataResult =
  | {
      ok: true;
      values: ReportFormValues;
      /** The button pressed; 'save' when the form was sent without one (e.g. Enter in a field). */
      intent: ReportFormIntent;
      /** The no-script gazetteer search text ('' when absent). Not part of the report. */
      placeQuery: string;
      /** Indexes (in `values`) of the rows that are empty. */
      emptyRows: Record<ReportRowSection, number[]>;
    }
  | {
      ok: false;
      /** The first of `formErrors` (for the summary's heading). */
      message: ReportMessageKey;
      formErrors: ReportMessageKey[];
      /** 'report.errors.valueTooLarge' beside the field it concerns (row paths after renumbering). */
      fieldErrors: ReportFieldErrors;
      /** Everything that could be read, to show the form again as typed. */
      values: ReportFormValues;
      /** Null when the intent itself was refused. */
      intent: ReportFormIntent | null;
      placeQuery: string;
    };

const HOSTILE_KEY_PATTERN = /__proto__|constructor|prototype/i;
const NEXT_ACTION_PREFIX = '$ACTION_';
const SCALAR_FIELD_SET: ReadonlySet<string> = new Set(REPORT_SCALAR_FIELDS);
const ROW_KEY_PATTERN = /^(vehicles|goods|agencies)\.([^.]*)\.([^.]*)$/;

type ScalarField = (typeof REPORT_SCALAR_FIELDS)[number];
type RowFields = Map<string, string>;

/**
 * Whether a string takes more than `maxBytes` in UTF-8, without encoding megabytes when the
 * answer is obvious (1–3 bytes per UTF-16 code unit; a surrogate pair is 4 bytes for 2 units).
 */
function exceedsUtf8Bytes(value: string, maxBytes: number): boolean {
  if (value.length > maxBytes) return true;
  if (value.length * 3 <= maxBytes) return false;
  return new TextEncoder().encode(value).length > maxBytes;
}

function isSection(value: string): value is ReportRowSection {
  return value === 'vehicles' || value === 'goods' || value === 'agencies';
}

function toVehicleRow(fields: RowFields): VehicleRowValues {
  const row = emptyVehicleRow();
  row.vehicleType = fields.get('vehicleType') ?? '';
  row.count = fields.get('count') ?? '';
  row.isEstimate = fields.has('isEstimate');
  row.direction = fields.get('direction') ?? '';
  row.colours = fields.get('colours') ?? '';
  row.cargo = fields.get('cargo') ?? '';
  return row;
}

function toGoodsRow(fields: RowFields): GoodsRowValues {
  const row = emptyGoodsRow();
  row.categoryId = fields.get('categoryId') ?? '';
  row.description = fields.get('description') ?? '';
  row.direction = fields.get('direction') ?? '';
  row.quantity = fields.get('quantity') ?? '';
  row.unit = fields.get('unit') ?? '';
  row.value = fields.get('value') ?? '';
  row.currency = fields.get('currency') ?? '';
  return row;
}

function toAgencyRow(fields: RowFields): AgencyRowValues {
  const row = emptyAgencyRow();
  row.agencyId = fields.get('agencyId') ?? '';
  row.otherName = fields.get('otherName') ?? '';
  row.role = fields.get('role') ?? '';
  row.note = fields.get('note') ?? '';
  return row;
}

/**
 * Parses the report form's FormData into {@link ReportFormValues} plus the pressed button's
 * intent, following the naming convention and refusals in this module's header. Never throws on
 * user input. Validation of the values themselves is the schemas' job (draftSchema to save,
 * validate.ts's parseReportForSubmit to submit).
 *
 * @returns `{ ok: true, values, intent, placeQuery }`, or `{ ok: false, message, formErrors,
 *   fieldErrors, values, intent, placeQuery }` with every problem found, each once.
 */
export function parseReportFormData(formData: FormData): ParseReportFormDataResult {
  const formErrors: ReportMessageKey[] = [];
  const refuse = (name: ReportErrorName) => {
    const key = reportMessage(name);
    if (!formErrors.includes(key)) formErrors.push(key);
  };

  const scalars = new Map<ScalarField, string>();
  const rows: Record<ReportRowSection, Map<number, RowFields>> = {
    vehicles: new Map(),
    goods: new Map(),
    agencies: new Map(),
  };
  const tooLargeRowFields: { section: ReportRowSection; index: number; field: string }[] = [];
  const tooLargeScalars: ScalarField[] = [];
  const seenKeys = new Set<string>();
  let intentText: string | null = null;
  let placeQuery = '';
  let entryCount = 0;

  for (const [key, value] of formData.entries()) {
    entryCount += 1;
    if (entryCount > REPORT_LIMITS.formFieldsMax) {
      refuse('tooManyFields');
      break;
    }
    // Not a value: React's action machinery, and the owner hint for posts kept across sign-in.
    if (key.startsWith(NEXT_ACTION_PREFIX) || key === KEPT_OWNER_FIELD) continue;
    if (HOSTILE_KEY_PATTERN.test(key)) {
      refuse('forbiddenFieldName');
      continue;
    }
    if (seenKeys.has(key)) {
      refuse('duplicateField');
      continue;
    }
    seenKeys.add(key);

    // Where does this key go? Decide before looking at the value.
    let target:
      | { kind: 'scalar'; field: ScalarField }
      | { kind: 'row'; section: ReportRowSection; index: number; field: string }
      | { kind: 'intent' }
      | { kind: 'placeQuery' };
    const rowMatch = ROW_KEY_PATTERN.exec(key);
    if (key === 'intent') {
      target = { kind: 'intent' };
    } else if (key === 'placeQuery') {
      target = { kind: 'placeQuery' };
    } else if (SCALAR_FIELD_SET.has(key)) {
      target = { kind: 'scalar', field: key as ScalarField };
    } else if (rowMatch) {
      const [, sectionText = '', indexText = '', field = ''] = rowMatch;
      if (!isSection(sectionText)) {
        refuse('unknownField');
        continue;
      }
      const section = REPORT_ROW_SECTIONS[sectionText];
      if (!(section.fields as readonly string[]).includes(field)) {
        refuse(REPORT_FIELDS_NOT_SETTABLE.has(field) ? 'fieldNotAllowed' : 'unknownField');
        continue;
      }
      const index = readRowIndex(indexText, section.maxRows);
      if (typeof index !== 'number') {
        refuse(index === 'invalid' ? 'rowIndexInvalid' : 'rowIndexOutOfRange');
        continue;
      }
      target = { kind: 'row', section: sectionText, index, field };
    } else {
      refuse(REPORT_FIELDS_NOT_SETTABLE.has(key) ? 'fieldNotAllowed' : 'unknownField');
      continue;
    }

    if (typeof value !== 'string') {
      refuse('fileNotAllowed');
      continue;
    }
    const isTooLarge = exceedsUtf8Bytes(value, REPORT_LIMITS.formValueMaxBytes);
    switch (target.kind) {
      case 'intent':
        if (isTooLarge) refuse('invalidIntent');
        else intentText = value;
        break;
      case 'placeQuery':
        if (isTooLarge) refuse('valueTooLarge');
        else placeQuery = value;
        break;
      case 'scalar':
        if (isTooLarge) tooLargeScalars.push(target.field);
        else scalars.set(target.field, value);
        break;
      case 'row': {
        const sectionRows = rows[target.section];
        let fields = sectionRows.get(target.index);
        if (!fields) {
          fields = new Map();
          sectionRows.set(target.index, fields);
        }
        if (isTooLarge) tooLargeRowFields.push({ section: target.section, index: target.index, field: target.field });
        else fields.set(target.field, value);
        break;
      }
    }
  }

  const values = emptyReportValues(scalars.get('clientId') ?? '');
  for (const field of REPORT_SCALAR_FIELDS) {
    const value = scalars.get(field);
    if (value !== undefined) values[field] = value;
  }

  // Order by index and renumber; remember where each posted index went and which rows are empty.
  const newIndex: Record<ReportRowSection, Map<number, number>> = {
    vehicles: new Map(),
    goods: new Map(),
    agencies: new Map(),
  };
  const emptyRows: Record<ReportRowSection, number[]> = { vehicles: [], goods: [], agencies: [] };
  for (const section of ['vehicles', 'goods', 'agencies'] as const) {
    const ordered = [...rows[section].entries()].sort(([a], [b]) => a - b);
    for (const [postedIndex, fields] of ordered) {
      const row = section === 'vehicles' ? toVehicleRow(fields) : section === 'goods' ? toGoodsRow(fields) : toAgencyRow(fields);
      if (isEmptyRow(section, row)) emptyRows[section].push(newIndex[section].size);
      newIndex[section].set(postedIndex, newIndex[section].size);
      if (section === 'vehicles') values.vehicles.push(row as VehicleRowValues);
      else if (section === 'goods') values.goods.push(row as GoodsRowValues);
      else values.agencies.push(row as AgencyRowValues);
    }
  }

  const fieldErrorMap = new Map<string, ReportMessageKey[]>();
  const tooLarge = reportMessage('valueTooLarge');
  for (const field of tooLargeScalars) fieldErrorMap.set(field, [tooLarge]);
  for (const { section, index, field } of tooLargeRowFields) {
    const renumbered = newIndex[section].get(index);
    if (renumbered === undefined) continue; // the row held nothing else; the summary still says why
    fieldErrorMap.set(`${section}.${renumbered}.${field}`, [tooLarge]);
  }
  if (tooLargeScalars.length > 0 || tooLargeRowFields.length > 0) refuse('valueTooLarge');

  let intent: ReportFormIntent | null = { kind: 'save' };
  if (intentText !== null) {
    intent = parseReportFormIntent(intentText);
    if (intent === null) refuse('invalidIntent');
    else if (intent.kind === 'remove-row') {
      const posted = intent.index;
      intent = { ...intent, index: posted === null ? null : (newIndex[intent.section].get(posted) ?? null) };
    }
  }

  const [firstError] = formErrors;
  if (firstError === undefined && intent !== null) return { ok: true, values, intent, placeQuery, emptyRows };
  return {
    ok: false,
    message: firstError ?? reportMessage('invalidIntent'),
    formErrors,
    fieldErrors: Object.fromEntries(fieldErrorMap),
    values,
    intent,
    placeQuery,
  };
}

/**
 * Applies an 'add-row' or 'remove-row' intent to the values, for the no-script round trip: the
 * page parses the form, applies the intent, and renders the form again. Returns new values (the
 * input is not changed) and, when a row cannot be added because the section is full, the section's
 * 'report.errors.tooMany…' key. Other intents return the values unchanged.
 */
export function applyRowIntent(
  values: ReportFormValues,
  intent: ReportFormIntent,
): { values: ReportFormValues; error: ReportMessageKey | null } {
  if (intent.kind === 'add-row') {
    const { section } = intent;
    if (values[section].length >= REPORT_ROW_SECTIONS[section].maxRows) {
      const tooMany = { vehicles: 'tooManyVehicles', goods: 'tooManyGoods', agencies: 'tooManyAgencies' } as const;
      return { values, error: reportMessage(tooMany[section]) };
    }
    if (section === 'vehicles') return { values: { ...values, vehicles: [...values.vehicles, emptyVehicleRow()] }, error: null };
    if (section === 'goods') return { values: { ...values, goods: [...values.goods, emptyGoodsRow()] }, error: null };
    return { values: { ...values, agencies: [...values.agencies, emptyAgencyRow()] }, error: null };
  }
  if (intent.kind === 'remove-row' && intent.index !== null) {
    const { section, index } = intent;
    if (section === 'vehicles') return { values: { ...values, vehicles: values.vehicles.filter((_, i) => i !== index) }, error: null };
    if (section === 'goods') return { values: { ...values, goods: values.goods.filter((_, i) => i !== index) }, error: null };
    return { values: { ...values, agencies: values.agencies.filter((_, i) => i !== index) }, error: null };
  }
  return { values, error: null };
}

/**
 * The values to submit: `values` without the rows `emptyRows` names (rows added but never filled
 * in are not part of the report), and for each section where each remaining row sits in `values`
 * (`positions[section][i]` = index in `values` of submitted row i), for {@link rowErrorsAsPosted}.
 */
export function withoutEmptyRows(
  values: ReportFormValues,
  emptyRows: Record<ReportRowSection, readonly number[]>,
): { values: ReportFormValues; positions: Record<ReportRowSection, number[]> } {
  const keep = <T>(rows: readonly T[], empty: readonly number[]) => {
    const positions: number[] = [];
    const kept: T[] = [];
    rows.forEach((row, i) => {
      if (empty.includes(i)) return;
      positions.push(i);
      kept.push(row);
    });
    return { kept, positions };
  };
  const vehicles = keep(values.vehicles, emptyRows.vehicles);
  const goods = keep(values.goods, emptyRows.goods);
  const agencies = keep(values.agencies, emptyRows.agencies);
  return {
    values: { ...values, vehicles: vehicles.kept, goods: goods.kept, agencies: agencies.kept },
    positions: { vehicles: vehicles.positions, goods: goods.positions, agencies: agencies.positions },
  };
}

/**
 * Field errors of submitted values (row paths such as 'goods.0.quantity') moved to the rows'
 * numbers on the page, using {@link withoutEmptyRows}'s `positions`, so each message stands
 * beside the row the partner typed it in. Other paths are unchanged.
 */
export function rowErrorsAsPosted<E>(fieldErrors: Record<string, E>, positions: Record<ReportRowSection, readonly number[]>): Record<string, E> {
  const moved: Record<string, E> = {};
  for (const [path, messages] of Object.entries(fieldErrors)) {
    const match = /^(vehicles|goods|agencies)\.(\d+)(\..+)?$/.exec(path);
    const section = match?.[1] as ReportRowSection | undefined;
    const at = section ? positions[section][Number(match?.[2])] : undefined;
    moved[section && at !== undefined ? `${section}.${at}${match?.[3] ?? ''}` : path] = messages;
  }
  return moved;
}
