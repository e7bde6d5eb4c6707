import { describe, expect, it } from 'vitest';
import { parsePublishForm, parseRetractionForm, readPublishFormValues } from './publish-choices';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

const valid: [string, string][] = [
  ['titleEn', '  Buses cross at night \r\n'],
  ['titleKo', ''],
  ['summaryEn', 'Line one\r\nLine two'],
  ['summaryKo', '요약'.normalize('NFD')],
  ['placeCoarsening', 'province'],
  ['timeCoarsening', 'week'],
  ['showGrading', 'on'],
  ['vehicleRows', '0'],
  ['vehicleRows', '2'],
  ['goodsRows', '1'],
  ['version', '3'],
];

describe('parsePublishForm', () => {
  it('reads the choices the form posts, cleaned', () => {
    expect(parsePublishForm(form(valid))).toEqual({
      ok: true,
      expectedVersion: 3,
      value: {
        title: { en: 'Buses cross at night', ko: '' },
        summary: { en: 'Line one\nLine two', ko: '요약' },
        placeCoarsening: 'province',
        timeCoarsening: 'week',
        showGrading: true,
        vehicleRows: [0, 2],
        goodsRows: [1],
        agencyRows: [],
      },
      confirmedLeaks: [],
    });
  });

  it('takes a title in either language, needs one, and keeps the ticked leak confirmations', () => {
    const only = (entries: [string, string][]) => form([...valid.filter(([k]) => !k.startsWith('title')), ...entries]);
    const korean = parsePublishForm(only([['titleKo', '야간 도강'], ['confirmLeak', 'titleKo|place|kp-hyesan'], ['confirmLeak', 'x'.repeat(161)]]));
    expect(korean).toMatchObject({ ok: true, value: { title: { en: '', ko: '야간 도강' } }, confirmedLeaks: ['titleKo|place|kp-hyesan'] });
    const none = parsePublishForm(only([['titleEn', ' '], ['titleKo', '']]));
    expect(!none.ok && none.fieldErrors.titleEn).toEqual(['publishing.errors.titleRequired']);
  });

  it('refuses an empty title, a long title, unknown coarsening, junk rows and a missing version', () => {
    const with_ = (changes: Record<string, string | null>) =>
      form([...valid.filter(([k]) => !(k in changes)), ...Object.entries(changes).filter((e): e is [string, string] => e[1] !== null)]);
    const cases: [FormData, string, string][] = [
      [with_({ titleEn: '   ' }), 'titleEn', 'publishing.errors.titleRequired'],
      [with_({ titleEn: 'x'.repeat(121) }), 'titleEn', 'publishing.errors.titleTooLong'],
      [with_({ titleKo: '가'.repeat(121) }), 'titleKo', 'publishing.errors.titleTooLong'],
      [with_({ summaryKo: '가'.repeat(20_001) }), 'summaryKo', 'publishing.errors.summaryTooLong'],
      [with_({ placeCoarsening: 'street' }), 'placeCoarsening', 'publishing.errors.invalidChoice'],
      [with_({ timeCoarsening: 'minute' }), 'timeCoarsening', 'publishing.errors.invalidChoice'],
      [with_({ vehicleRows: 'one' }), 'vehicleRows', 'publishing.errors.invalidChoice'],
      [with_({ version: null }), 'version', 'publishing.errors.staleVersion'],
      [with_({ version: '0' }), 'version', 'publishing.errors.staleVersion'],
    ];
    for (const [data, field, key] of cases) {
      const parsed = parsePublishForm(data);
      expect(parsed.ok, field).toBe(false);
      if (!parsed.ok) expect(parsed.fieldErrors[field]).toContain(key);
    }
  });

  it('shows back what was typed, with safe defaults for junk', () => {
    const values = readPublishFormValues(form([['titleEn', 'T'], ['placeCoarsening', '<x>'], ['vehicleRows', 'a'], ['vehicleRows', '4'], ['confirmLeak', 'k']]));
    expect(values).toMatchObject({ title: { en: 'T', ko: '' }, confirmedLeaks: ['k'], placeCoarsening: 'province', timeCoarsening: 'day', showGrading: false, vehicleRows: [4] });
  });
});

describe('parseRetractionForm', () => {
  it('needs a reason and a version', () => {
    expect(parseRetractionForm(form([['reason', ' Could not be confirmed. '], ['version', '4']]))).toEqual({
      ok: true,
      value: { reason: 'Could not be confirmed.' },
      expectedVersion: 4,
    });
    const empty = parseRetractionForm(form([['reason', '  '], ['version', '4']]));
    expect(!empty.ok && empty.fieldErrors.reason).toEqual(['publishing.errors.reasonRequired']);
  });
});
