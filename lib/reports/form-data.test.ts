import { describe, expect, it } from 'vitest';
import {
  applyRowIntent,
  parseReportFormData,
  rowErrorsAsPosted,
  withoutEmptyRows,
  parseReportFormIntent,
  reportFormIntentValue,
  type ParseReportFormDataResult,
  type ReportFormIntent,
} from './form-data';
import { emptyReportValues, emptyVehicleRow } from './form-values';
import { submitSchema } from './schema';
import { demoReportValues, toReportFormData } from '@/lib/testing/reports';
import { parseReportForSubmit } from './validate';

const CLIENT_ID = '0b9f3c1e-5d5e-4f53-9a63-1d2c7a0e0001';

function formData(entries: [string, string | Blob][]): FormData {
  const fd = new FormData();
  for (const [key, value] of entries) fd.append(key, value);
  return fd;
}

function accepted(result: ParseReportFormDataResult) {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.formErrors)}`);
  return result;
}

function refused(result: ParseReportFormDataResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

describe('parseReportFormData', () => {
  it('reads the first demo report posted by the HTML form into values the submit schema accepts', () => {
    const expected = demoReportValues(0);
    const result = accepted(parseReportFormData(toReportFormData(expected)));
    expect(result.values).toEqual(expected);
    expect(result.intent).toEqual({ kind: 'submit' });
    expect(submitSchema.safeParse(result.values).success).toBe(true);
    expect(parseReportForSubmit(result.values, Date.UTC(2026, 0, 1)).ok).toBe(true);
  });

  it('reads the demo report with agency rows the same way', () => {
    const expected = demoReportValues(2);
    expect(accepted(parseReportFormData(toReportFormData(expected))).values).toEqual(expected);
  });

  it('ignores Next.js’s own $ACTION_ fields', () => {
    const fd = toReportFormData(demoReportValues(0));
    fd.append('$ACTION_ID_7f3a9c', '');
    fd.append('$ACTION_REF_1', '');
    fd.append('$ACTION_1:0', '{"id":"x","bound":null}');
    expect(parseReportFormData(fd).ok).toBe(true);
  });

  it('reads missing fields as empty (browsers leave out unchecked boxes and unchosen radios)', () => {
    const result = accepted(parseReportFormData(formData([['clientId', CLIENT_ID], ['title', 'Buses at night']])));
    expect(result.values).toEqual({ ...emptyReportValues(CLIENT_ID), title: 'Buses at night' });
    expect(result.intent).toEqual({ kind: 'save' });
  });

  describe('rows', () => {
    it('builds nested rows in every section', () => {
      const { values } = accepted(
        parseReportFormData(
          formData([
            ['vehicles.0.vehicleType', 'bus'],
            ['vehicles.0.count', '12'],
            ['vehicles.0.isEstimate', 'on'],
            ['vehicles.1.vehicleType', 'truck'],
            ['vehicles.1.count', '3'],
            ['goods.0.categoryId', 'fuel'],
            ['goods.0.quantity', '2.5'],
            ['goods.0.unit', 'tonnes'],
            ['agencies.0.agencyId', 'other'],
            ['agencies.0.otherName', 'Unit 10'],
          ]),
        ),
      );
      expect(values.vehicles).toEqual([
        { ...emptyVehicleRow(), vehicleType: 'bus', count: '12', isEstimate: true },
        { ...emptyVehicleRow(), vehicleType: 'truck', count: '3', isEstimate: false },
      ]);
      expect(values.goods).toEqual([
        { categoryId: 'fuel', description: '', direction: '', quantity: '2.5', unit: 'tonnes', value: '', currency: '' },
      ]);
      expect(values.agencies).toEqual([{ agencyId: 'other', otherName: 'Unit 10', role: '', note: '' }]);
    });

    it('orders rows by index whatever order the fields arrive in, and closes gaps', () => {
      const { values } = accepted(
        parseReportFormData(
          formData([
            ['vehicles.9.vehicleType', 'boat'],
            ['vehicles.0.vehicleType', 'car'],
            ['vehicles.4.count', '4'],
            ['vehicles.9.count', '9'],
            ['vehicles.4.vehicleType', 'van'],
            ['vehicles.0.count', '0'],
          ]),
        ),
      );
      expect(values.vehicles.map((row) => [row.vehicleType, row.count])).toEqual([
        ['car', '0'],
        ['van', '4'],
        ['boat', '9'],
      ]);
    });

    const blankRows: [string, string][] = [
      ['vehicles.0.vehicleType', ''],
      ['vehicles.0.count', '  '],
      ['vehicles.0.colours', '\t'],
      ['vehicles.1.isEstimate', 'on'],
      ['goods.0.categoryId', ''],
      ['goods.0.description', ''],
      ['agencies.0.note', ' '],
      ['agencies.1.agencyId', 'police'],
      ['agencies.1.note', 'seen twice'],
      // The agency checklist: an unticked agency posts its (hidden) role and note, not its box.
      ['agencies.2.role', 'operator'],
      ['agencies.2.note', 'ticked, then unticked'],
    ];

    it('names rows whose fields are all empty or whitespace (not a row with only its checkbox ticked), and agency rows with no agency ticked; a submit leaves them out', () => {
      const parsed = accepted(parseReportFormData(formData([...blankRows, ['intent', 'submit']])));
      expect(parsed.emptyRows).toEqual({ vehicles: [0], goods: [0], agencies: [0, 2] });
      const { values, positions } = withoutEmptyRows(parsed.values, parsed.emptyRows);
      expect(values.vehicles).toEqual([{ ...emptyVehicleRow(), isEstimate: true }]);
      expect(values.goods).toEqual([]);
      expect(values.agencies).toEqual([{ agencyId: 'police', otherName: '', role: '', note: 'seen twice' }]);
      expect(positions).toEqual({ vehicles: [1], goods: [], agencies: [1] });
      // A message about submitted vehicle row 0 stands beside row 1, as numbered on the page.
      expect(rowErrorsAsPosted({ 'vehicles.0.vehicleType': ['x'], 'agencies.0.role': ['y'], title: ['z'] }, positions)).toEqual({
        'vehicles.1.vehicleType': ['x'],
        'agencies.1.role': ['y'],
        title: ['z'],
      });
    });

    it('on every round trip, keeps empty rows where they were (rows added but not filled in yet) and names them', () => {
      for (const intent of [null, 'save', 'add-goods', 'search-place', 'submit']) {
        const { values, emptyRows } = accepted(parseReportFormData(formData(intent ? [...blankRows, ['intent', intent]] : blankRows)));
        expect(values.vehicles, String(intent)).toEqual([
          { ...emptyVehicleRow(), colours: '\t', count: '  ' },
          { ...emptyVehicleRow(), isEstimate: true },
        ]);
        expect(values.goods).toHaveLength(1);
        expect(values.agencies.map((row) => row.note)).toEqual([' ', 'seen twice', 'ticked, then unticked']);
        expect(emptyRows).toEqual({ vehicles: [0], goods: [0], agencies: [0, 2] });
      }
    });

    it('adding rows without scripts: each press adds one, the earlier empty ones stay', () => {
      let values = emptyReportValues(CLIENT_ID);
      for (let press = 1; press <= 3; press += 1) {
        const posted: [string, string][] = values.vehicles.flatMap((row, i) => [
          [`vehicles.${i}.vehicleType`, row.vehicleType],
          [`vehicles.${i}.count`, row.count],
        ]);
        const parsed = accepted(parseReportFormData(formData([...posted, ['intent', 'add-vehicle']])));
        values = applyRowIntent(parsed.values, parsed.intent).values;
        expect(values.vehicles).toHaveLength(press);
      }
    });

    it('maps a remove button to the row’s position and removes that row, empty rows included', () => {
      const result = accepted(
        parseReportFormData(
          formData([
            ['vehicles.0.vehicleType', 'car'],
            ['vehicles.1.vehicleType', ''],
            ['vehicles.3.vehicleType', 'bus'],
            ['vehicles.4.vehicleType', 'truck'],
            ['intent', 'remove-vehicle:3'],
          ]),
        ),
      );
      // Posted index 3 is the third row once the gap at 2 closes up.
      expect(result.intent).toEqual({ kind: 'remove-row', section: 'vehicles', index: 2 });
      const { values } = applyRowIntent(result.values, result.intent);
      expect(values.vehicles.map((row) => row.vehicleType)).toEqual(['car', '', 'truck']);
      expect(result.values.vehicles).toHaveLength(4); // the parsed values are not changed

      const empty = accepted(parseReportFormData(formData([['vehicles.0.vehicleType', 'car'], ['vehicles.1.count', ''], ['intent', 'remove-vehicle:1']])));
      expect(empty.intent).toEqual({ kind: 'remove-row', section: 'vehicles', index: 1 });
      expect(applyRowIntent(empty.values, empty.intent).values.vehicles.map((row) => row.vehicleType)).toEqual(['car']);
    });

    it('turns a remove button for a row that was not posted into a no-op', () => {
      const result = accepted(parseReportFormData(formData([['vehicles.0.vehicleType', 'car'], ['intent', 'remove-vehicle:7']])));
      expect(result.intent).toEqual({ kind: 'remove-row', section: 'vehicles', index: null });
      expect(applyRowIntent(result.values, result.intent).values).toEqual(result.values);
    });

    it('adds an empty row, up to the cap', () => {
      const values = emptyReportValues(CLIENT_ID);
      const added = applyRowIntent(values, { kind: 'add-row', section: 'agencies' });
      expect(added).toEqual({ values: { ...values, agencies: [{ agencyId: '', otherName: '', role: '', note: '' }] }, error: null });
      const full = { ...values, vehicles: Array.from({ length: 50 }, emptyVehicleRow) };
      expect(applyRowIntent(full, { kind: 'add-row', section: 'vehicles' })).toEqual({
        values: full,
        error: 'report.errors.tooManyVehicles',
      });
    });
  });

  describe('hostile and malformed keys', () => {
    it.each(['__proto__', 'vehicles.0.__proto__', 'vehicles.__proto__.count', 'constructor', 'goods.0.constructor', 'x.prototype', '__PROTO__'])(
      'refuses %j without touching any prototype',
      (key) => {
        const result = refused(parseReportFormData(formData([['title', 'kept'], [key, '{"polluted":true}'], ['vehicles.0.count', '2']])));
        expect(result.formErrors).toEqual(['report.errors.forbiddenFieldName']);
        expect(result.values.title).toBe('kept');
        expect(result.values.vehicles).toEqual([{ ...emptyVehicleRow(), count: '2' }]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf(result.values)).toBe(Object.prototype);
        expect(Object.keys(result.values)).not.toContain('__proto__');
      },
    );

    it.each([
      ['vehicles.50.count', 'report.errors.rowIndexOutOfRange'],
      ['vehicles.999999.count', 'report.errors.rowIndexOutOfRange'],
      [`goods.${'9'.repeat(10_000)}.unit`, 'report.errors.rowIndexOutOfRange'],
      ['agencies.30.note', 'report.errors.rowIndexOutOfRange'],
      ['vehicles.-1.count', 'report.errors.rowIndexInvalid'],
      ['vehicles.01.count', 'report.errors.rowIndexInvalid'],
      ['vehicles.1e3.count', 'report.errors.rowIndexInvalid'],
      ['vehicles..count', 'report.errors.rowIndexInvalid'],
      ['vehicles.x.count', 'report.errors.rowIndexInvalid'],
    ])('refuses the row index in %j', (key, message) => {
      const result = refused(parseReportFormData(formData([['vehicles.0.count', '1'], [key, '5']])));
      expect(result.formErrors).toEqual([message]);
      expect(result.values.vehicles).toEqual([{ ...emptyVehicleRow(), count: '1' }]);
    });

    it('accepts the last index below each cap', () => {
      const result = accepted(
        parseReportFormData(formData([['vehicles.49.count', '1'], ['goods.49.unit', 'kg'], ['agencies.29.note', 'n']])),
      );
      expect([result.values.vehicles.length, result.values.goods.length, result.values.agencies.length]).toEqual([1, 1, 1]);
    });

    it.each(['status', 'authorId', 'role', 'id', 'version', 'vehicles.0.id', 'agencies.2.reportId'])(
      'refuses %j, a field the partner may not set, keeping the rest',
      (key) => {
        const result = refused(parseReportFormData(formData([['title', 'kept'], [key, 'published']])));
        expect(result.formErrors).toEqual(['report.errors.fieldNotAllowed']);
        expect(result.message).toBe('report.errors.fieldNotAllowed');
        expect(result.values.title).toBe('kept');
      },
    );

    it.each(['colour', 'vehicles', 'vehicles.0', 'vehicles.0.speed', 'vehicles.0.count.extra', 'photos.0.caption', 'Title'])(
      'refuses the unknown field %j',
      (key) => {
        expect(refused(parseReportFormData(formData([[key, 'x']]))).formErrors).toEqual(['report.errors.unknownField']);
      },
    );

    it('lists every kind of problem once', () => {
      const result = refused(
        parseReportFormData(
          formData([
            ['status', 'published'],
            ['authorId', '2'],
            ['colour', 'red'],
            ['colour2', 'red'],
            ['__proto__', 'x'],
            ['vehicles.80.count', '1'],
          ]),
        ),
      );
      expect(result.formErrors).toEqual([
        'report.errors.fieldNotAllowed',
        'report.errors.unknownField',
        'report.errors.forbiddenFieldName',
        'report.errors.rowIndexOutOfRange',
      ]);
    });
  });

  describe('size caps', () => {
    it('refuses more than 2,000 entries, stopping at the cap', () => {
      const entries: [string, string][] = Array.from({ length: 10_000 }, (_, i) => [`$ACTION_${i}`, '']);
      const started = performance.now();
      const result = refused(parseReportFormData(formData(entries)));
      expect(result.formErrors).toEqual(['report.errors.tooManyFields']);
      expect(performance.now() - started).toBeLessThan(500);
    });

    it('accepts 2,000 entries', () => {
      const entries: [string, string][] = Array.from({ length: 1_999 }, (_, i) => [`$ACTION_${i}`, '']);
      expect(parseReportFormData(formData([...entries, ['title', 'x']])).ok).toBe(true);
    });

    it('refuses a value over 100 KB beside its field, without echoing it back', () => {
      const result = refused(
        parseReportFormData(
          formData([
            ['title', 'kept'],
            ['narrative', 'x'.repeat(10 * 1024 * 1024)],
            ['vehicles.3.vehicleType', 'bus'],
            ['vehicles.3.cargo', 'y'.repeat(100 * 1024 + 1)],
          ]),
        ),
      );
      expect(result.formErrors).toEqual(['report.errors.valueTooLarge']);
      expect(result.fieldErrors).toEqual({
        narrative: ['report.errors.valueTooLarge'],
        'vehicles.0.cargo': ['report.errors.valueTooLarge'],
      });
      expect(result.values.narrative).toBe('');
      expect(result.values.title).toBe('kept');
      expect(result.values.vehicles).toEqual([{ ...emptyVehicleRow(), vehicleType: 'bus' }]);
    });

    it('measures the cap in UTF-8 bytes (102,400): 34,134 Hangul syllables are too large, 34,133 are not', () => {
      const result = refused(parseReportFormData(formData([['narrative', '가'.repeat(34_134)]]))); // 102,402 bytes
      expect(result.fieldErrors).toEqual({ narrative: ['report.errors.valueTooLarge'] });
      expect(parseReportFormData(formData([['narrative', '가'.repeat(34_133)]])).ok).toBe(true); // 102,399 bytes
    });

    it('leaves the narrative length to the schema (20,001 characters pass the parser)', () => {
      const { values } = accepted(parseReportFormData(formData([['narrative', 'x'.repeat(20_001)]])));
      expect(values.narrative).toHaveLength(20_001);
    });
  });

  it('refuses a field sent twice, keeping the first value', () => {
    const result = refused(parseReportFormData(formData([['title', 'first'], ['title', 'second']])));
    expect(result.formErrors).toEqual(['report.errors.duplicateField']);
    expect(result.values.title).toBe('first');
  });

  it('refuses a file where text belongs', () => {
    const result = refused(parseReportFormData(formData([['narrative', new Blob(['x'], { type: 'text/plain' })]])));
    expect(result.formErrors).toEqual(['report.errors.fileNotAllowed']);
  });

  it('treats the estimate checkbox as true whenever present, whatever its value', () => {
    const { values } = accepted(
      parseReportFormData(formData([['vehicles.0.vehicleType', 'car'], ['vehicles.0.isEstimate', '']])),
    );
    expect(values.vehicles[0]?.isEstimate).toBe(true);
  });

  it('returns the place search text apart from the values', () => {
    const result = accepted(parseReportFormData(formData([['placeQuery', '혜산'], ['intent', 'search-place']])));
    expect(result.placeQuery).toBe('혜산');
    expect(result.intent).toEqual({ kind: 'search-place' });
    expect(result.values).not.toHaveProperty('placeQuery');
  });

  it('refuses an unknown intent, keeping the values', () => {
    const result = refused(parseReportFormData(formData([['title', 'kept'], ['intent', 'publish']])));
    expect(result).toMatchObject({ intent: null, formErrors: ['report.errors.invalidIntent'], message: 'report.errors.invalidIntent' });
    expect(result.values.title).toBe('kept');
  });
});

describe('parseReportFormIntent', () => {
  it.each<[string, ReportFormIntent]>([
    ['save', { kind: 'save' }],
    ['submit', { kind: 'submit' }],
    ['search-place', { kind: 'search-place' }],
    ['photos', { kind: 'photos' }],
    ['locale:ko', { kind: 'locale', locale: 'ko' }],
    ['locale:en', { kind: 'locale', locale: 'en' }],
    ['add-vehicle', { kind: 'add-row', section: 'vehicles' }],
    ['add-goods', { kind: 'add-row', section: 'goods' }],
    ['add-agency', { kind: 'add-row', section: 'agencies' }],
    ['remove-vehicle:2', { kind: 'remove-row', section: 'vehicles', index: 2 }],
    ['remove-goods:49', { kind: 'remove-row', section: 'goods', index: 49 }],
    ['remove-agency:0', { kind: 'remove-row', section: 'agencies', index: 0 }],
  ])('reads %j', (raw, intent) => {
    expect(parseReportFormIntent(raw)).toEqual(intent);
    expect(reportFormIntentValue(intent)).toBe(raw);
  });

  it.each(['', 'publish', 'Submit', 'add-vehicles', 'add-vehicle:1', 'remove-vehicle', 'remove-vehicle:', 'remove-vehicle:01', 'remove-agency:30', 'remove-goods:-1', 'remove-__proto__:1', 'locale', 'locale:', 'locale:xx', 'locale:KO', 'locale:ko-KR'])(
    'refuses %j',
    (raw) => {
      expect(parseReportFormIntent(raw)).toBeNull();
    },
  );
});
