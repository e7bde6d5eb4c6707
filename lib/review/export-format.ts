/**
 * The editors' export as files (issue 19 item 14): the shapes lib/review/export.ts reads, and the
 * CSV and JSON the route handler app/(editor)/editor/export/route.ts answers. Pure.
 *
 * - CSV: one line per report, UTF-8 with a byte-order mark (spreadsheets then show Hangul), CRLF,
 *   RFC 4180 quoting (csv-stringify); text cells starting with =, +, -, @, tab or carriage return
 *   get a leading apostrophe (OWASP "CSV injection"; lib/publishing/export-rows.ts toCsvCell);
 *   every instant is an ISO 8601 UTC column with a plain YYYY-MM-DD date column beside it (the
 *   observation in the report's own IANA time zone, the others in UTC, as the column names say).
 *   The vehicle, goods and agency rows are counted and summarised in one cell each.
 * - JSON: `{ exportedAt, filter, count, reports }`, each report with every field and its rows as
 *   arrays; instants as ISO 8601 UTC with the same date fields beside them.
 */
import { stringify } from 'csv-stringify/sync';
import type { ReportStatus, TimeZoneName } from '@/db/enums';
import { toCsvCell, type ExportValue } from '@/lib/publishing/export-rows';
import { instantToLocalDateTime, isTimeZoneName } from '@/lib/reports/time';

/** Most reports one export may hold; a larger match is refused ("narrow the filter"). */
export const EDITOR_EXPORT_MAX_REPORTS = 5000;

export const EDITOR_EXPORT_FORMATS = ['csv', 'json'] as const;
export type EditorExportFormat = (typeof EDITOR_EXPORT_FORMATS)[number];

/** One exported report: every field of the report (instants in UTC ms) and its rows. */
export type EditorExportReport = {
  id: number;
  status: ReportStatus;
  version: number;
  partnerId: number;
  partnerCodeName: string;
  title: string;
  narrative: string;
  placeId: string | null;
  placeNameEn: string | null;
  placeNameKo: string | null;
  placeDetail: string;
  placePrecision: string | null;
  observedFrom: number | null;
  observedTo: number | null;
  timeZone: TimeZoneName;
  timeNote: string;
  sourceType: string | null;
  safetyNote: string;
  sourceReliability: string | null;
  informationCredibility: string | null;
  gradeNote: string | null;
  claimedByCodeName: string | null;
  claimedAt: number | null;
  submittedAt: number | null;
  createdAt: number;
  updatedAt: number;
  vehicles: { vehicleType: string; count: number; isEstimate: boolean; direction: string; colours: string; cargo: string }[];
  goods: { categoryId: string; categoryNameEn: string | null; description: string; direction: string; quantity: number | null; unit: string | null; value: number | null; currency: string | null }[];
  agencies: { agencyId: string | null; agencyNameEn: string | null; otherName: string | null; role: string; note: string }[];
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const utcDate = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
/** The calendar date of `ms` in the report's zone (YYYY-MM-DD). */
const localDate = (ms: number | null, timeZone: string): string | null =>
  ms === null ? null : isTimeZoneName(timeZone) ? instantToLocalDateTime({ instantMs: ms, timeZone }).slice(0, 10) : utcDate(ms);

/** Column order of the CSV (one line per report). */
export const EDITOR_EXPORT_COLUMNS = [
  'report_id',
  'status',
  'version',
  'partner_id',
  'partner_code_name',
  'title',
  'narrative',
  'place_id',
  'place_name_en',
  'place_name_ko',
  'place_detail',
  'place_precision',
  'time_zone',
  'observed_from',
  'observed_from_local_date',
  'observed_to',
  'observed_to_local_date',
  'time_note',
  'source_type',
  'safety_note',
  'source_reliability',
  'information_credibility',
  'grade_note',
  'claimed_by',
  'claimed_at',
  'claimed_date_utc',
  'submitted_at',
  'submitted_date_utc',
  'created_at',
  'created_date_utc',
  'updated_at',
  'updated_date_utc',
  'vehicle_rows',
  'vehicles',
  'goods_rows',
  'goods',
  'agency_rows',
  'agencies',
] as const;

function summariseVehicles(rows: EditorExportReport['vehicles']): string {
  return rows
    .map((v) => [`${v.isEstimate ? '~' : ''}${v.count} ${v.vehicleType} ${v.direction}`, v.colours && `colours: ${v.colours}`, v.cargo && `cargo: ${v.cargo}`].filter(Boolean).join(', '))
    .join('; ');
}

function summariseGoods(rows: EditorExportReport['goods']): string {
  return rows
    .map((g) =>
      [
        `${g.categoryId} ${g.direction}`,
        g.description,
        g.quantity === null ? '' : `${g.quantity}${g.unit ? ` ${g.unit}` : ''}`,
        g.value === null ? '' : `${g.value}${g.currency ? ` ${g.currency}` : ''}`,
      ]
        .filter(Boolean)
        .join(', '),
    )
    .join('; ');
}

function summariseAgencies(rows: EditorExportReport['agencies']): string {
  return rows.map((a) => [`${a.agencyId ?? `other: ${a.otherName ?? ''}`} ${a.role}`, a.note].filter(Boolean).join(', ')).join('; ');
}

/** One report as the CSV's cells, in EDITOR_EXPORT_COLUMNS order (before formula protection). */
export function editorExportCsvRecord(r: EditorExportReport): ExportValue[] {
  return [
    r.id,
    r.status,
    r.version,
    r.partnerId,
    r.partnerCodeName,
    r.title,
    r.narrative,
    r.placeId,
    r.placeNameEn,
    r.placeNameKo,
    r.placeDetail,
    r.placePrecision,
    r.timeZone,
    iso(r.observedFrom),
    localDate(r.observedFrom, r.timeZone),
    iso(r.observedTo),
    localDate(r.observedTo, r.timeZone),
    r.timeNote,
    r.sourceType,
    r.safetyNote,
    r.sourceReliability,
    r.informationCredibility,
    r.gradeNote,
    r.claimedByCodeName,
    iso(r.claimedAt),
    utcDate(r.claimedAt),
    iso(r.submittedAt),
    utcDate(r.submittedAt),
    iso(r.createdAt),
    utcDate(r.createdAt),
    iso(r.updatedAt),
    utcDate(r.updatedAt),
    r.vehicles.length,
    summariseVehicles(r.vehicles),
    r.goods.length,
    summariseGoods(r.goods),
    r.agencies.length,
    summariseAgencies(r.agencies),
  ];
}

/**
 * The reports as CSV text: a byte-order mark, the header line, one CRLF-ended line per report,
 * every cell through toCsvCell (formula protection; numbers unchanged).
 */
export function editorExportCsv(rows: readonly EditorExportReport[]): string {
  const records = rows.map((r) => editorExportCsvRecord(r).map(toCsvCell));
  return `\uFEFF${stringify([[...EDITOR_EXPORT_COLUMNS], ...records], { record_delimiter: 'windows' })}`;
}

/**
 * The reports as JSON text (pretty-printed, two spaces): the export's time, the filter (the queue's
 * URL parameters), the count and every report with its rows; instants as ISO 8601 UTC with a
 * YYYY-MM-DD date beside each (`…LocalDate` in the report's zone, `…DateUtc` in UTC).
 */
export function editorExportJson(rows: readonly EditorExportReport[], { filter, exportedAt }: { filter: Record<string, string>; exportedAt: number }): string {
  const reports = rows.map((r) => ({
    ...r,
    observedFrom: iso(r.observedFrom),
    observedFromLocalDate: localDate(r.observedFrom, r.timeZone),
    observedTo: iso(r.observedTo),
    observedToLocalDate: localDate(r.observedTo, r.timeZone),
    claimedAt: iso(r.claimedAt),
    claimedDateUtc: utcDate(r.claimedAt),
    submittedAt: iso(r.submittedAt),
    submittedDateUtc: utcDate(r.submittedAt),
    createdAt: iso(r.createdAt),
    createdDateUtc: utcDate(r.createdAt),
    updatedAt: iso(r.updatedAt),
    updatedDateUtc: utcDate(r.updatedAt),
  }));
  return `${JSON.stringify({ exportedAt: iso(exportedAt), filter, count: rows.length, reports }, null, 2)}\n`;
}
