/**
 * The open-data export of official figures (issue 21 item 4; docs/official-trade.md "Open data",
 * schema lib/official/export-schema.json): one row per public figure — only months whose checks
 * pass or that an admin confirmed with a note (public.ts) — with its source. Pure: series in, rows
 * and CSV text out.
 */
import { stringify } from 'csv-stringify/sync';
import { toCsvCell } from '@/lib/publishing/export-rows';
import { FLOW_NAMES, OFFICIAL_FLOWS } from './format';
import type { PublicOfficialSeries } from './series';

/** The columns, in order (the CSV header; the JSON rows' keys). */
export const OFFICIAL_EXPORT_COLUMNS = [
  'month',
  'authority',
  'authority_name',
  'flow',
  'flow_name',
  'value',
  'unit',
  'value_million_usd',
  'yoy_change_pct',
  'source_name',
  'source_url',
  'revision',
  'check',
  'check_note',
] as const;

/** One exported figure (see export-schema.json for each column). */
export type OfficialExportRow = {
  month: string;
  authority: string;
  authority_name: string;
  flow: string;
  flow_name: string;
  value: number;
  unit: string;
  value_million_usd: number;
  yoy_change_pct: number | null;
  source_name: string;
  source_url: string | null;
  revision: number;
  check: 'consistent' | 'confirmed';
  check_note: string | null;
};

/** Rows of the export, oldest month first, flows in list order. Names in English. */
export function officialExportRows(series: PublicOfficialSeries): OfficialExportRow[] {
  return series.months.flatMap((m) =>
    OFFICIAL_FLOWS.flatMap((flow) => {
      const f = m.figures[flow];
      if (!f) return [];
      return [
        {
          month: m.month,
          authority: m.authority,
          authority_name: m.authorityName.en,
          flow,
          flow_name: FLOW_NAMES[flow].en,
          value: Number(f.value),
          unit: f.unit,
          value_million_usd: f.millions,
          yoy_change_pct: f.yoyChangePct === null ? null : Number(f.yoyChangePct),
          source_name: f.sourceName,
          source_url: f.sourceUrl,
          revision: f.revision,
          check: m.status,
          check_note: m.note,
        },
      ];
    }),
  );
}

/**
 * The CSV export: UTF-8 with a byte-order mark (spreadsheets then read it as UTF-8), a header line,
 * CRLF line ends, RFC 4180 quoting, cells through the reports export's formula guard (toCsvCell).
 */
export function officialExportCsv(rows: readonly OfficialExportRow[]): string {
  const records = rows.map((row) => OFFICIAL_EXPORT_COLUMNS.map((column) => toCsvCell(row[column])));
  return `\uFEFF${stringify([[...OFFICIAL_EXPORT_COLUMNS], ...records], { record_delimiter: 'windows' })}`;
}
