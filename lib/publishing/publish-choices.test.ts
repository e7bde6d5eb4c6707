import { describe, expect, it } from 'vitest';
import { parsePublishForm, parseRetractionForm, readPublishFormValues } from './publish-choices';

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

const valid: [string, string][] = [
  ['title', '  Buses cross at night \r\n'],
  ['summary', 'Line one\r\nLine two'],
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
        title: 'Buses cross at night',
        summary: 'Line one\nLine two',
        placeCoarsening: 'province',
        timeCoarsening: 'week',
        showGrading: true,
        vehicleRows: [0, 2],
        goodsRows: [1],
        agencyRows: [],
      },
    });
  });

  it('refuses an empty title, a long title, unknown coarsening, junk rows and a missing version', () => {
    const with_ = (changes: Record<string, string | null>) =>
      form([...valid.filter(([k]) => !(k in changes)), ...Object.entries(changes).filter((e): e is [string, string] => e[1] !== null)]);
    const cases: [FormData, string, string][] = [
      [with_({ title: '   ' }), 'title', 'publishing.errors.titleRequired'],
      [with_({ title: 'x'.repeat(121) }), 'title', 'publishing.errors.titleTooLong'],
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
    const values = readPublishFormValues(form([['title', 'T'], ['placeCoarsening', '<x>'], ['vehicleRows', 'a'], ['vehicleRows', '4']]));
    expect(values).toMatchObject({ title: 'T', placeCoarsening: 'province', timeCoarsening: 'day', showGrading: false, vehicleRows: [4] });
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
