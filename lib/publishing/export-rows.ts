/**
 * The rows of /exports/reports.json and /exports/reports.csv: one row per published observation
 * row (vehicle sighting, goods row, agency row) with the publication's fields repeated, and one
 * row of type 'report' for a publication that has no observation rows, so every publication
 * appears. Columns are documented in app/(public)/exports/reports.schema.json (served at
 * /exports/reports.schema.json); keep the two in step (a test checks it). Pure.
 */
import type { Locale } from '@/lib/i18n/config';
import { pickLanguage } from './languages';
import { localIso, type PublicationSnapshot } from './snapshot';

/** Column order of the CSV export (and key order of the JSON rows). */
export const EXPORT_COLUMNS = [
  'publication_id',
  'url',
  'title',
  'title_lang',
  'summary',
  'summary_lang',
  'title_en',
  'title_ko',
  'summary_en',
  'summary_ko',
  'published_at',
  'published_date',
  'first_published_at',
  'first_published_date',
  'place_id',
  'place_kind',
  'place_country',
  'place_name_en',
  'place_name_ko',
  'place_precision',
  'attribution_en',
  'attribution_ko',
  'period_start',
  'period_start_date',
  'period_end',
  'period_end_date',
  'period_precision',
  'period_label_en',
  'period_label_ko',
  'source_reliability',
  'information_credibility',
  'row_type',
  'row_number',
  'direction',
  'vehicle_type',
  'vehicle_count',
  'vehicle_count_is_estimate',
  'vehicle_colours',
  'vehicle_cargo',
  'goods_category_id',
  'goods_category_name_en',
  'goods_category_name_ko',
  'goods_description',
  'goods_quantity',
  'goods_unit',
  'goods_value',
  'goods_currency',
  'agency_id',
  'agency_name_en',
  'agency_name_ko',
  'agency_role',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportValue = string | number | boolean | null;
export type ExportRow = Record<ExportColumn, ExportValue>;

function utcIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * Plain calendar dates beside the instants (issue 20 item 7): `YYYY-MM-DD` with no time or offset,
 * which LibreOffice and pandas read as dates, where instants with mixed offsets (+08:30, +09:00)
 * stay text. `published_date` / `first_published_date`: the UTC date of the instant;
 * `period_start_date`: the local date the public period starts on; `period_end_date`: the local
 * date of its last instant (inclusive: a day period has equal start and end dates), both on the
 * clock of the report's zone, as the period's label reads.
 */
export function exportDatesOf({ publishedAt, firstPublishedAt, period }: { publishedAt: number; firstPublishedAt: number; period: PublicationSnapshot['period'] }) {
  const lastInstant = Math.max(period.start, period.end - 1);
  return {
    published_date: utcIso(publishedAt).slice(0, 10),
    first_published_date: utcIso(firstPublishedAt).slice(0, 10),
    period_start_date: localIso(period.start, period.timeZone).slice(0, 10),
    period_end_date: localIso(lastInstant, period.timeZone).slice(0, 10),
  };
}

/**
 * The export rows of one publication. `url` is the absolute URL of its public page (the caller
 * knows the site's origin). Rows come in snapshot order: vehicles, goods, agencies.
 * `title` and `summary` are in the reader's `locale` ('en' default), else in the other language,
 * with `title_lang` / `summary_lang` naming the language they are in (null when empty); the
 * `_en` / `_ko` columns hold each language as published ('' when not written).
 */
export function exportRowsOf({
  publicId,
  publishedAt,
  snapshot,
  url,
  locale = 'en',
}: {
  publicId: string;
  publishedAt: number;
  snapshot: PublicationSnapshot;
  url: string;
  locale?: Locale;
}): ExportRow[] {
  const { period, place } = snapshot;
  const title = pickLanguage(snapshot.title, locale);
  const summary = pickLanguage(snapshot.summary, locale);
  const firstPublishedAt = snapshot.firstPublishedAt ?? publishedAt;
  const dates = exportDatesOf({ publishedAt, firstPublishedAt, period });
  const base: ExportRow = {
    publication_id: publicId,
    url,
    title: title?.text ?? '',
    title_lang: title?.lang ?? null,
    summary: summary?.text ?? '',
    summary_lang: summary?.lang ?? null,
    title_en: snapshot.title.en,
    title_ko: snapshot.title.ko,
    summary_en: snapshot.summary.en,
    summary_ko: snapshot.summary.ko,
    published_at: utcIso(publishedAt),
    published_date: dates.published_date,
    first_published_at: utcIso(firstPublishedAt),
    first_published_date: dates.first_published_date,
    place_id: place.id,
    place_kind: place.kind,
    place_country: place.country,
    place_name_en: place.nameEn,
    place_name_ko: place.nameKo,
    place_precision: snapshot.placeCoarsening,
    attribution_en: snapshot.attribution.en,
    attribution_ko: snapshot.attribution.ko,
    period_start: period.startLocal,
    period_start_date: dates.period_start_date,
    period_end: period.endLocal,
    period_end_date: dates.period_end_date,
    period_precision: period.choice,
    period_label_en: period.label.en,
    period_label_ko: period.label.ko,
    source_reliability: snapshot.grading?.sourceReliability ?? null,
    information_credibility: snapshot.grading?.informationCredibility ?? null,
    row_type: 'report',
    row_number: null,
    direction: null,
    vehicle_type: null,
    vehicle_count: null,
    vehicle_count_is_estimate: null,
    vehicle_colours: null,
    vehicle_cargo: null,
    goods_category_id: null,
    goods_category_name_en: null,
    goods_category_name_ko: null,
    goods_description: null,
    goods_quantity: null,
    goods_unit: null,
    goods_value: null,
    goods_currency: null,
    agency_id: null,
    agency_name_en: null,
    agency_name_ko: null,
    agency_role: null,
  };
  const rows: ExportRow[] = [];
  snapshot.vehicles.forEach((row, i) => {
    rows.push({
      ...base,
      row_type: 'vehicle',
      row_number: i + 1,
      direction: row.direction,
      vehicle_type: row.vehicleType,
      vehicle_count: row.count,
      vehicle_count_is_estimate: row.isEstimate,
      vehicle_colours: row.colours,
      vehicle_cargo: row.cargo,
    });
  });
  snapshot.goods.forEach((row, i) => {
    rows.push({
      ...base,
      row_type: 'goods',
      row_number: i + 1,
      direction: row.direction,
      goods_category_id: row.categoryId,
      goods_category_name_en: row.categoryNameEn,
      goods_category_name_ko: row.categoryNameKo,
      goods_description: row.description,
      goods_quantity: row.quantity,
      goods_unit: row.unit,
      goods_value: row.value,
      goods_currency: row.currency,
    });
  });
  snapshot.agencies.forEach((row, i) => {
    rows.push({
      ...base,
      row_type: 'agency',
      row_number: i + 1,
      agency_id: row.agencyId,
      agency_name_en: row.nameEn,
      agency_name_ko: row.nameKo,
      agency_role: row.role,
    });
  });
  return rows.length > 0 ? rows : [base];
}

/**
 * A CSV cell: null → empty, booleans → true/false, numbers as JavaScript prints them. Text that
 * starts with =, +, -, @, tab or carriage return gets a leading apostrophe so spreadsheets do not
 * run it as a formula (OWASP "CSV injection") — numbers are never changed.
 */
export function toCsvCell(value: ExportValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
