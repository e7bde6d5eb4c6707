/**
 * The report form's values as the form holds them, and the shapes of its errors: plain types and
 * constants with no zod, so the browser's form and the no-script FormData parser can use them
 * without loading the schemas. schema.ts does not re-export it: import these from here.
 */
import type { TimeZoneName } from '@/db/enums';
import { REPORT_LIMITS } from './limits';
import type { ReportMessageKey } from './messages';

const L = REPORT_LIMITS;

// ---------------------------------------------------------------------------------------------
// Values as the form holds them
// ---------------------------------------------------------------------------------------------

/** The agencyId a row carries when the partner names an agency that is not in the managed list. */
export const AGENCY_OTHER = 'other';

/** One vehicle-sighting row as typed. `count` is the text of a number input. */
export type VehicleRowValues = {
  vehicleType: string;
  count: string;
  isEstimate: boolean;
  direction: string;
  colours: string;
  cargo: string;
};

/** One goods row as typed. `quantity` and `value` are decimal text; `unit` and `currency` go with them. */
export type GoodsRowValues = {
  categoryId: string;
  description: string;
  direction: string;
  quantity: string;
  unit: string;
  value: string;
  currency: string;
};

/** One agency row as typed. `agencyId` is a managed-list id or {@link AGENCY_OTHER} (then `otherName`). */
export type AgencyRowValues = {
  agencyId: string;
  otherName: string;
  role: string;
  note: string;
};

/**
 * The report as the form edits it (the schemas' input). Every key is always present; "optional"
 * means it may be ''. `observedFrom` / `observedTo` are 'YYYY-MM-DDTHH:mm' local wall-clock in
 * `timeZone`; `timeZone` '' ({@link PLACE_TIME_ZONE}) means "the chosen place's time zone", made
 * explicit before submitting ({@link withPlaceTimeZone}); `observedFromChoice` / `observedToChoice` are '' | 'earlier' | 'later', the answer to
 * "which one?" when a local time happened twice (only read when it did).
 */
export type ReportFormValues = {
  clientId: string;
  observedFrom: string;
  observedFromChoice: string;
  observedTo: string;
  observedToChoice: string;
  timeZone: string;
  timeNote: string;
  placeId: string;
  placeDetail: string;
  placePrecision: string;
  title: string;
  narrative: string;
  sourceType: string;
  safetyNote: string;
  vehicles: VehicleRowValues[];
  goods: GoodsRowValues[];
  agencies: AgencyRowValues[];
};

/** Top-level scalar fields of {@link ReportFormValues} (the row arrays excluded), in form order. */
export const REPORT_SCALAR_FIELDS = [
  'clientId',
  'observedFrom',
  'observedFromChoice',
  'observedTo',
  'observedToChoice',
  'timeZone',
  'timeNote',
  'placeId',
  'placeDetail',
  'placePrecision',
  'title',
  'narrative',
  'sourceType',
  'safetyNote',
] as const satisfies readonly (keyof ReportFormValues)[];

/** The repeatable row sections, their fields, and their caps (docs/product.md: 0–50, 0–50, 0–30 rows). */
export const REPORT_ROW_SECTIONS = {
  vehicles: {
    fields: ['vehicleType', 'count', 'isEstimate', 'direction', 'colours', 'cargo'],
    maxRows: L.vehicleRowsMax,
  },
  goods: {
    fields: ['categoryId', 'description', 'direction', 'quantity', 'unit', 'value', 'currency'],
    maxRows: L.goodsRowsMax,
  },
  agencies: {
    fields: ['agencyId', 'otherName', 'role', 'note'],
    maxRows: L.agencyRowsMax,
  },
} as const satisfies {
  vehicles: { fields: readonly (keyof VehicleRowValues)[]; maxRows: number };
  goods: { fields: readonly (keyof GoodsRowValues)[]; maxRows: number };
  agencies: { fields: readonly (keyof AgencyRowValues)[]; maxRows: number };
};

export type ReportRowSection = keyof typeof REPORT_ROW_SECTIONS;

/** A new, empty vehicle row (for "add row"; selects start on their empty option). */
export function emptyVehicleRow(): VehicleRowValues {
  return { vehicleType: '', count: '', isEstimate: false, direction: '', colours: '', cargo: '' };
}

/** A new, empty goods row. */
export function emptyGoodsRow(): GoodsRowValues {
  return { categoryId: '', description: '', direction: '', quantity: '', unit: '', value: '', currency: '' };
}

/** A new, empty agency row. */
export function emptyAgencyRow(): AgencyRowValues {
  return { agencyId: '', otherName: '', role: '', note: '' };
}

/**
 * Whether a row is EMPTY — a row the form offers that holds nothing yet, left out on submit
 * (lib/reports/form-data.ts withoutEmptyRows): a vehicle or goods row whose text fields are all
 * empty or whitespace (and, for a vehicle, whose "estimate" box is not ticked); an agency row with
 * no agency ticked and no other agency named — a role or note without an agency belongs to none.
 */
export function isEmptyRow(section: ReportRowSection, row: VehicleRowValues | GoodsRowValues | AgencyRowValues): boolean {
  const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';
  if (section === 'agencies') {
    const agency = row as AgencyRowValues;
    return blank(agency.agencyId) && blank(agency.otherName);
  }
  return Object.entries(row).every(([field, value]) => (field === 'isEstimate' ? value !== true : blank(value)));
}

/** Indexes of the empty rows ({@link isEmptyRow}) of each row section. */
export function emptyRowIndexes(values: Pick<ReportFormValues, ReportRowSection>): Record<ReportRowSection, number[]> {
  const indexes = (section: ReportRowSection) =>
    (values[section] as (VehicleRowValues | GoodsRowValues | AgencyRowValues)[]).flatMap((row, i) => (isEmptyRow(section, row) ? [i] : []));
  return { vehicles: indexes('vehicles'), goods: indexes('goods'), agencies: indexes('agencies') };
}

/**
 * Blank rows the form keeps ready at the end of each row section, so several rows are filled in
 * without pressing Add (or, without scripts, without a round trip each). For agencies: the one
 * "other agency" line after the managed list.
 */
export const SPARE_ROWS: Record<ReportRowSection, number> = { vehicles: 3, goods: 3, agencies: 1 };

/**
 * The rows as the form lays them out (the partner's and the editor's form alike; idempotent):
 * - vehicles and goods: the rows as they are, then blank rows at the end until the section holds
 *   {@link SPARE_ROWS} empty ones in all (blank rows between typed ones count; within the section's
 *   cap), so a form posted back and laid out again keeps the same number of blank rows;
 * - agencies: a checklist — one line per agency of the managed list (`listedAgencyIds`, in that
 *   order) holding the first row that names it (ticked) or an empty row (unticked); then every
 *   other non-empty row in its order (a second role of a listed agency, "other" agencies, an agency
 *   no longer listed); then blank "other" lines: SPARE_ROWS, or as many as the values ended with after the list (an
 *   'add-row' keeps its line). Other empty rows are dropped first. The
 *   cap holds (lines for listed agencies come first).
 * Line `i < listedAgencyIds.length` of the result is always agency `listedAgencyIds[i]`'s.
 * `spareRows` (default SPARE_ROWS): how many blank rows to keep ready per section.
 */
export function layoutReportRows<V extends Pick<ReportFormValues, ReportRowSection>>(
  values: V,
  listedAgencyIds: readonly string[],
  spareRows: Record<ReportRowSection, number> = SPARE_ROWS,
): V {
  const withSpare = <T>(section: ReportRowSection, rows: readonly T[], blank: () => T): T[] => {
    const out = [...rows];
    // Every blank row counts, wherever it is: topped up TO spareRows, never spareRows more per round trip.
    let blankRows = out.filter((row) => isEmptyRow(section, row as VehicleRowValues)).length;
    for (; blankRows < spareRows[section] && out.length < REPORT_ROW_SECTIONS[section].maxRows; blankRows += 1) out.push(blank());
    return out;
  };
  const remaining = values.agencies.filter((row) => !isEmptyRow('agencies', row));
  const listed = listedAgencyIds.slice(0, REPORT_ROW_SECTIONS.agencies.maxRows).map((id) => {
    const at = remaining.findIndex((row) => row.agencyId === id);
    return at === -1 ? emptyAgencyRow() : (remaining.splice(at, 1)[0] ?? emptyAgencyRow());
  });
  const agencies = [...listed, ...remaining].slice(0, REPORT_ROW_SECTIONS.agencies.maxRows);
  // Blank lines after the list stay blank lines (an "add an agency" press adds one).
  let blankLines = 0;
  for (let i = values.agencies.length - 1; i >= listed.length && isEmptyRow('agencies', values.agencies[i] ?? emptyAgencyRow()); i -= 1) blankLines += 1;
  const spare = Math.max(spareRows.agencies, blankLines);
  for (let added = 0; added < spare && agencies.length < REPORT_ROW_SECTIONS.agencies.maxRows; added += 1) agencies.push(emptyAgencyRow());
  return {
    ...values,
    vehicles: withSpare('vehicles', values.vehicles, emptyVehicleRow),
    goods: withSpare('goods', values.goods, emptyGoodsRow),
    agencies,
  };
}

/**
 * The `timeZone` value "the chosen place's time zone" (the form's first choice, and a new
 * report's): Dandong → Asia/Shanghai, Hyesan → Asia/Pyongyang (lib/places/time-zone.ts). A
 * partner who picks a zone keeps it, whatever the place.
 */
export const PLACE_TIME_ZONE = '';

/**
 * The values with a time zone following the place made explicit: `placeTimeZone` (the chosen
 * place's zone, null when no usable place is chosen) when `timeZone` is {@link PLACE_TIME_ZONE},
 * else the values unchanged (a new object either way). Run before the submit schema, on the server
 * and in the browser alike, so the schema always sees a zone.
 */
export function withPlaceTimeZone(values: ReportFormValues, placeTimeZone: TimeZoneName | null): ReportFormValues {
  return values.timeZone === PLACE_TIME_ZONE && placeTimeZone !== null ? { ...values, timeZone: placeTimeZone } : { ...values };
}

/**
 * The values of a new report form: everything empty, no rows, the time zone following the place
 * ({@link PLACE_TIME_ZONE}). `clientId` is the client-generated UUID that makes submitting idempotent
 * (e.g. `crypto.randomUUID()`, made once when the form is first rendered and kept in the HTML).
 */
export function emptyReportValues(clientId: string): ReportFormValues {
  return {
    clientId,
    observedFrom: '',
    observedFromChoice: '',
    observedTo: '',
    observedToChoice: '',
    timeZone: PLACE_TIME_ZONE,
    timeNote: '',
    placeId: '',
    placeDetail: '',
    placePrecision: '',
    title: '',
    narrative: '',
    sourceType: '',
    safetyNote: '',
    vehicles: [],
    goods: [],
    agencies: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Field messages by dotted path ('title', 'vehicles.0.count', 'goods' for the row cap). */
export type ReportFieldErrors = Record<string, ReportMessageKey[]>;

/** The errors of a refused report: beside each field, and for the whole form. */
export type ReportErrors = { fieldErrors: ReportFieldErrors; formErrors: ReportMessageKey[] };

/**
 * Adds one message to a {@link ReportErrors} in place (no repeats); for rules checked after the
 * schema, such as validate.ts's checks on instants. `path` '' means the whole form.
 */
export function addReportError(errors: ReportErrors, path: string, key: ReportMessageKey): void {
  if (path === '') {
    if (!errors.formErrors.includes(key)) errors.formErrors.push(key);
    return;
  }
  const list = Object.hasOwn(errors.fieldErrors, path) ? errors.fieldErrors[path] : undefined;
  if (list === undefined) {
    Object.defineProperty(errors.fieldErrors, path, { value: [key], enumerable: true, writable: true, configurable: true });
  } else if (!list.includes(key)) {
    list.push(key);
  }
}
