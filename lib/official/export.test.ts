import { describe, expect, it } from 'vitest';
import schema from './export-schema.json';
import { OFFICIAL_EXPORT_COLUMNS, officialExportCsv, officialExportRows } from './export';
import { nextMonth, sideBySide, type PublicOfficialSeries } from './series';

const series: PublicOfficialSeries = {
  leftOut: 1,
  months: [
    {
      authority: 'cn_customs',
      authorityName: { en: 'China customs', ko: '중국 해관총서' },
      month: '2019-01',
      status: 'confirmed',
      note: '=as quoted',
      figures: {
        total: { value: '210.75', unit: 'usd_million', millions: 210.75, yoyChangePct: '-3.5', sourceName: 'GACC', sourceUrl: null, revision: 2 },
        exports_from_kp_to_cn: { value: '10500', unit: 'usd_thousand', millions: 10.5, yoyChangePct: null, sourceName: 'GACC', sourceUrl: 'https://example.org/x', revision: 1 },
      },
    },
  ],
};

describe('official export', () => {
  it('one row per public figure, flows in list order, columns as the schema lists them', () => {
    const rows = officialExportRows(series);
    expect(rows.map((r) => [r.flow, r.value, r.unit, r.value_million_usd, r.yoy_change_pct, r.check, r.check_note])).toEqual([
      ['exports_from_kp_to_cn', 10500, 'usd_thousand', 10.5, null, 'confirmed', '=as quoted'],
      ['total', 210.75, 'usd_million', 210.75, -3.5, 'confirmed', '=as quoted'],
    ]);
    expect(Object.keys(schema.$defs.row.properties)).toEqual([...OFFICIAL_EXPORT_COLUMNS]);
    expect(schema.$defs.row.required).toEqual([...OFFICIAL_EXPORT_COLUMNS]);
    for (const row of rows) expect(Object.keys(row)).toEqual([...OFFICIAL_EXPORT_COLUMNS]);
  });

  it('CSV: byte-order mark, header, CRLF, formula guard on text but never on numbers', () => {
    const csv = officialExportCsv(officialExportRows(series));
    expect(csv.startsWith(`\uFEFF${OFFICIAL_EXPORT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(csv).toContain(",'=as quoted\r\n");
    expect(csv).toContain(',-3.5,');
  });
});

describe('one time axis', () => {
  it('runs from the first to the last month with either series, gaps included', () => {
    const months = sideBySide(series, [
      { month: '2018-11', vehicles: 12, goodsRows: 2 },
      { month: '2019-03', vehicles: 0, goodsRows: 1 },
    ]);
    expect(months.map((m) => [m.month, Object.keys(m.official).length, m.observed.vehicles])).toEqual([
      ['2018-11', 0, 12],
      ['2018-12', 0, 0],
      ['2019-01', 2, 0],
      ['2019-02', 0, 0],
      ['2019-03', 0, 0],
    ]);
    expect(nextMonth('2019-12')).toBe('2020-01');
    expect(sideBySide({ months: [], leftOut: 0 }, [])).toEqual([]);
  });
});
