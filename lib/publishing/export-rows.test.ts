import { describe, expect, it } from 'vitest';
import schema from './export-schema.json';
import { EXPORT_COLUMNS, exportDatesOf, exportRowsOf, toCsvCell, type ExportRow } from './export-rows';
import { localIso, type PublicationSnapshot } from './snapshot';

const snapshot: PublicationSnapshot = {
  version: 2,
  title: { en: '=cmd| calc', ko: '' },
  summary: { en: '', ko: '요약' },
  place: { id: 'kp-yanggang', kind: 'province', country: 'KP', nameEn: 'Yanggang Province', nameKo: '량강도' },
  placeCoarsening: 'province',
  attribution: { en: 'a reporting partner in Yanggang Province', ko: '량강도의 한 취재 협력자' },
  period: {
    start: Date.UTC(2016, 0, 31, 15, 30),
    end: Date.UTC(2016, 1, 29, 15, 30),
    choice: 'month',
    label: { en: 'February 2016', ko: '2016년 2월' },
    timeZone: 'Asia/Pyongyang',
    startLocal: localIso(Date.UTC(2016, 0, 31, 15, 30), 'Asia/Pyongyang'),
    endLocal: localIso(Date.UTC(2016, 1, 29, 15, 30), 'Asia/Pyongyang'),
  },
  grading: { sourceReliability: 'B', informationCredibility: '2' },
  vehicles: [{ vehicleType: 'truck', count: 3, isEstimate: false, direction: 'out_of_kp', colours: '', cargo: 'ore' }],
  goods: [
    {
      categoryId: 'minerals',
      categoryNameEn: 'Minerals and ores',
      categoryNameKo: '광물',
      description: 'ore',
      direction: 'out_of_kp',
      quantity: 2.5,
      unit: 't',
      value: null,
      currency: null,
    },
  ],
  agencies: [],
  firstPublishedAt: Date.UTC(2016, 2, 1),
};

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null';
type PropertySchema = { type: JsonType | JsonType[]; enum?: unknown[] };
const rowProperties = schema.$defs.row.properties as Record<string, PropertySchema>;

/** A small check of a row against the schema: keys, JSON types and enums. */
function schemaProblems(row: ExportRow): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    const property = rowProperties[key];
    if (!property) {
      problems.push(`${key}: not in the schema`);
      continue;
    }
    const types = Array.isArray(property.type) ? property.type : [property.type];
    const actual: JsonType =
      value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) && types.includes('integer') ? 'integer' : 'number') : (typeof value as JsonType);
    if (!types.includes(actual)) problems.push(`${key}: ${actual} is not ${types.join('|')}`);
    if (property.enum && !property.enum.includes(value)) problems.push(`${key}: ${String(value)} not in enum`);
  }
  return problems;
}

describe('export rows', () => {
  it('documents every column, in order, in the JSON Schema', () => {
    expect(Object.keys(rowProperties)).toEqual([...EXPORT_COLUMNS]);
    expect(schema.$defs.row.required).toEqual([...EXPORT_COLUMNS]);
  });

  it('gives one row per observation row, each valid against the schema', () => {
    const rows = exportRowsOf({ publicId: 'AAAAAAAAAAAAAAAA', publishedAt: Date.UTC(2016, 2, 2), snapshot, url: 'https://x.test/reports/AAAAAAAAAAAAAAAA' });
    expect(rows.map((r) => [r.row_type, r.row_number])).toEqual([
      ['vehicle', 1],
      ['goods', 1],
    ]);
    expect(rows[1]).toMatchObject({ goods_quantity: 2.5, goods_unit: 't', vehicle_type: null, direction: 'out_of_kp', source_reliability: 'B' });
    // Month in Pyongyang's UTC+8:30 years: boundaries are local midnights.
    expect(rows[0]).toMatchObject({ period_start: '2016-02-01T00:00+08:30', period_end: '2016-03-01T00:00+08:30' });
    for (const row of rows) expect(schemaProblems(row)).toEqual([]);
  });

  it('gives plain YYYY-MM-DD dates beside the instants: UTC dates of publication, local dates of the period (end inclusive)', () => {
    const [row] = exportRowsOf({ publicId: 'AAAAAAAAAAAAAAAA', publishedAt: Date.UTC(2016, 2, 2, 23, 30), snapshot, url: 'https://x.test/r' });
    expect(row).toMatchObject({
      published_at: '2016-03-02T23:30:00.000Z',
      published_date: '2016-03-02',
      first_published_at: '2016-03-01T00:00:00.000Z',
      first_published_date: '2016-03-01',
      period_start: '2016-02-01T00:00+08:30',
      period_start_date: '2016-02-01',
      period_end: '2016-03-01T00:00+08:30',
      period_end_date: '2016-02-29',
    });
    // A one-day period: the same date twice.
    const day = {
      ...snapshot.period,
      start: Date.UTC(2018, 6, 11, 15),
      end: Date.UTC(2018, 6, 12, 15),
      choice: 'day' as const,
      startLocal: '2018-07-12T00:00+09:00',
      endLocal: '2018-07-13T00:00+09:00',
    };
    expect(exportDatesOf({ publishedAt: 0, firstPublishedAt: 0, period: day })).toEqual({
      published_date: '1970-01-01',
      first_published_date: '1970-01-01',
      period_start_date: '2018-07-12',
      period_end_date: '2018-07-12',
    });
  });

  it('gives a publication without observation rows one row of type report', () => {
    const rows = exportRowsOf({
      publicId: 'AAAAAAAAAAAAAAAA',
      publishedAt: 0,
      snapshot: { ...snapshot, vehicles: [], goods: [], grading: null },
      url: 'https://x.test/r',
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ row_type: 'report', row_number: null, source_reliability: null });
    expect(schemaProblems(rows[0]!)).toEqual([]);
  });

  it('gives title and summary in the reader’s language, else the other one, naming the language', () => {
    const args = { publicId: 'AAAAAAAAAAAAAAAA', publishedAt: 0, snapshot, url: 'https://x.test/r' };
    expect(exportRowsOf(args)[0]).toMatchObject({
      title: '=cmd| calc',
      title_lang: 'en',
      summary: '요약',
      summary_lang: 'ko',
      title_en: '=cmd| calc',
      title_ko: '',
      summary_en: '',
      summary_ko: '요약',
    });
    const both = { ...snapshot, title: { en: 'Night crossings', ko: '야간 도강' }, summary: { en: '', ko: '' } };
    const [korean] = exportRowsOf({ ...args, snapshot: both, locale: 'ko' });
    expect(korean).toMatchObject({ title: '야간 도강', title_lang: 'ko', summary: '', summary_lang: null });
    expect(schemaProblems(korean!)).toEqual([]);
  });

  it('guards CSV cells against spreadsheet formulas without touching numbers', () => {
    expect(toCsvCell('=cmd| calc')).toBe("'=cmd| calc");
    expect(toCsvCell('+1')).toBe("'+1");
    expect(toCsvCell(-3)).toBe('-3');
    expect(toCsvCell(null)).toBe('');
    expect(toCsvCell(true)).toBe('true');
    expect(toCsvCell('량강도')).toBe('량강도');
  });

  it('writes local boundaries with the offset of their date', () => {
    expect(localIso(Date.UTC(2018, 6, 11, 15), 'Asia/Pyongyang')).toBe('2018-07-12T00:00+09:00');
    expect(localIso(Date.UTC(2018, 6, 11, 16), 'Asia/Shanghai')).toBe('2018-07-12T00:00+08:00');
  });
});
