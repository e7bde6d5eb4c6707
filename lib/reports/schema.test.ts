import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import { zodResolver } from '@hookform/resolvers/zod';
import { emptyAgencyRow, emptyGoodsRow, emptyReportValues, emptyRowIndexes, emptyVehicleRow, layoutReportRows, withPlaceTimeZone, type ReportErrors, type ReportFormValues } from './form-values';
import { buildSubmitSchema, collectReportErrors, draftSchema, submitSchema } from './schema';
import { demoReportValues } from '@/lib/testing/reports';

const CLIENT_ID = '0b9f3c1e-5d5e-4f53-9a63-1d2c7a0e0001';

/** The first demo report: a complete, valid submission. */
function validValues(): ReportFormValues {
  return demoReportValues(0);
}

function errorsOf(schema: z.ZodMiniType, values: unknown): ReportErrors {
  const result = schema.safeParse(values);
  if (result.success) return { fieldErrors: {}, formErrors: [] };
  return collectReportErrors(result.error.issues);
}

function submitErrors(values: unknown): ReportErrors {
  return errorsOf(submitSchema, values);
}

describe('ReportFormValues', () => {
  it('is exactly the input type of both schemas (what react-hook-form edits)', () => {
    expectTypeOf<z.input<typeof draftSchema>>().toEqualTypeOf<ReportFormValues>();
    expectTypeOf<z.input<typeof submitSchema>>().toEqualTypeOf<ReportFormValues>();
  });
});

describe('with react-hook-form', () => {
  it('works with zodResolver: form values in, parsed report out, message keys as errors', async () => {
    const resolver = zodResolver(submitSchema);
    const options = { fields: {}, shouldUseNativeValidation: false } as const;
    const good = await resolver(validValues(), undefined, options);
    expect(good.errors).toEqual({});
    expect(good.values).toHaveProperty('title', validValues().title);
    expect(good.values).toHaveProperty('vehicles.0.count', 12);

    const bad = await resolver({ ...validValues(), title: '', vehicles: [emptyVehicleRow()] }, undefined, options);
    expect(bad.errors.title?.message).toBe('report.errors.titleRequired');
    expect(bad.errors.vehicles?.[0]?.count?.message).toBe('report.errors.countRequired');
  });
});

describe('submitSchema', () => {
  it('accepts the first demo report and normalises it', () => {
    const result = submitSchema.safeParse(validValues());
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.timeZone).toBe('Asia/Pyongyang');
    expect(result.data.observedFrom).toBe('2018-07-12T19:30');
    expect(result.data.vehicles[0]).toEqual({
      vehicleType: 'bus',
      count: 12,
      isEstimate: true,
      direction: 'into_kp',
      colours: '',
      cargo: 'electronics, clothes',
    });
    expect(result.data.goods[0]).toEqual({
      categoryId: 'electronics',
      description: 'household electronics',
      direction: 'into_kp',
      quantity: null,
      unit: null,
      value: null,
      currency: null,
    });
    expect(result.data.observedFromChoice).toBeNull();
  });

  it('reports every missing required part at once, each beside its field', () => {
    const { fieldErrors, formErrors } = submitErrors(emptyReportValues(CLIENT_ID));
    expect(formErrors).toEqual([]);
    expect(fieldErrors).toEqual({
      observedFrom: ['report.errors.observedFromRequired'],
      observedTo: ['report.errors.observedToRequired'],
      // A new report's time zone follows the place (withPlaceTimeZone): with no place, none yet.
      timeZone: ['report.errors.timeZoneRequired'],
      placeId: ['report.errors.placeRequired'],
      placePrecision: ['report.errors.placePrecisionRequired'],
      title: ['report.errors.titleRequired'],
      narrative: ['report.errors.narrativeRequired'],
      sourceType: ['report.errors.sourceTypeRequired'],
    });
  });

  it('counts a title of only spaces as missing', () => {
    expect(submitErrors({ ...validValues(), title: '   \u3000 ' }).fieldErrors.title).toEqual(['report.errors.titleRequired']);
  });

  describe('text limits after NFC normalisation', () => {
    it('accepts a title of 120 characters and refuses 121', () => {
      expect(submitSchema.safeParse({ ...validValues(), title: 'a'.repeat(120) }).success).toBe(true);
      expect(submitErrors({ ...validValues(), title: 'a'.repeat(121) }).fieldErrors.title).toEqual([
        'report.errors.titleTooLong',
      ]);
    });

    it('counts decomposed Hangul (NFD) as the composed syllables the partner sees', () => {
      const syllables = '국경'.repeat(60); // 120 syllables
      const decomposed = syllables.normalize('NFD');
      expect(decomposed.length).toBe(360);
      const result = submitSchema.safeParse({ ...validValues(), title: decomposed });
      expect(result.success).toBe(true);
      if (result.success) expect(result.data.title).toBe(syllables);
      expect(submitErrors({ ...validValues(), title: `${decomposed}가` }).fieldErrors.title).toEqual([
        'report.errors.titleTooLong',
      ]);
    });

    it('accepts a narrative of 20,000 characters counting CRLF line breaks once, and refuses 20,001', () => {
      const lines = Array.from({ length: 2000 }, () => 'x'.repeat(9)).join('\r\n'); // 18,000 + 1,999 breaks
      const narrative = lines + 'y'.repeat(20_000 - 19_999);
      const result = submitSchema.safeParse({ ...validValues(), narrative });
      expect(result.success).toBe(true);
      if (result.success) {
        expect(result.data.narrative).toHaveLength(20_000);
        expect(result.data.narrative).not.toContain('\r');
      }
      expect(submitErrors({ ...validValues(), narrative: `${narrative}z` }).fieldErrors.narrative).toEqual([
        'report.errors.narrativeTooLong',
      ]);
    });

    it('refuses a 10 MB narrative with the length message', () => {
      expect(submitErrors({ ...validValues(), narrative: 'x'.repeat(10_000_000) }).fieldErrors.narrative).toEqual([
        'report.errors.narrativeTooLong',
      ]);
    });

    it.each([
      ['timeNote', 501, 'report.errors.timeNoteTooLong'],
      ['placeDetail', 501, 'report.errors.placeDetailTooLong'],
      ['safetyNote', 2001, 'report.errors.safetyNoteTooLong'],
    ] as const)('limits %s', (field, length, key) => {
      expect(submitErrors({ ...validValues(), [field]: 'a'.repeat(length) }).fieldErrors[field]).toEqual([key]);
      expect(submitSchema.safeParse({ ...validValues(), [field]: 'a'.repeat(length - 1) }).success).toBe(true);
    });

    it('refuses control characters, and line breaks in single-line fields', () => {
      expect(submitErrors({ ...validValues(), title: 'bus\u0000es' }).fieldErrors.title).toEqual([
        'report.errors.invalidCharacters',
      ]);
      expect(submitErrors({ ...validValues(), title: 'two\nlines' }).fieldErrors.title).toEqual([
        'report.errors.invalidCharacters',
      ]);
      expect(submitErrors({ ...validValues(), narrative: 'lone \uD800 surrogate' }).fieldErrors.narrative).toEqual([
        'report.errors.invalidCharacters',
      ]);
      expect(submitSchema.safeParse({ ...validValues(), narrative: 'two\nlines\twith a tab' }).success).toBe(true);
    });

    it('keeps both messages when a text is too long and holds a control character', () => {
      expect(submitErrors({ ...validValues(), title: `\u0007${'a'.repeat(130)}` }).fieldErrors.title).toEqual([
        'report.errors.invalidCharacters',
        'report.errors.titleTooLong',
      ]);
    });
  });

  describe('vehicle counts', () => {
    const withCount = (count: string): ReportFormValues => {
      const values = validValues();
      values.vehicles = [{ ...emptyVehicleRow(), vehicleType: 'truck', direction: 'into_kp', count }];
      return values;
    };
    const countOf = (count: string) => {
      const result = submitSchema.safeParse(withCount(count));
      return result.success ? result.data.vehicles[0]?.count : collectReportErrors(result.error.issues).fieldErrors['vehicles.0.count'];
    };

    it.each([
      ['0', 0],
      ['12', 12],
      [' 100000 ', 100_000],
      ['007', 7],
      ['１２', 12], // full-width digits from a Korean keyboard
    ])('reads %j as %d', (text, expected) => {
      expect(countOf(text)).toBe(expected);
    });

    it.each([
      ['', 'report.errors.countRequired'],
      ['1.5', 'report.errors.countNotWholeNumber'],
      ['1e3', 'report.errors.countNotWholeNumber'],
      ['twelve', 'report.errors.countNotWholeNumber'],
      ['-1', 'report.errors.countOutOfRange'],
      ['100001', 'report.errors.countOutOfRange'],
      ['99999999999999999999999', 'report.errors.countOutOfRange'],
    ])('refuses %j with %s', (text, key) => {
      expect(countOf(text)).toEqual([key]);
    });
  });

  describe('rows', () => {
    const vehicle = { ...emptyVehicleRow(), vehicleType: 'car', count: '1', direction: 'within' };
    const goods = { ...emptyGoodsRow(), categoryId: 'fuel', direction: 'into_kp' };
    const agency = { ...emptyAgencyRow(), agencyId: 'police', role: 'protection' };

    it('accepts 50 vehicle rows, 50 goods rows and 30 agency rows', () => {
      const values = {
        ...validValues(),
        vehicles: Array.from({ length: 50 }, () => vehicle),
        goods: Array.from({ length: 50 }, () => goods),
        agencies: Array.from({ length: 30 }, () => agency),
      };
      expect(submitSchema.safeParse(values).success).toBe(true);
    });

    it('refuses a 51st vehicle row, a 51st goods row and a 31st agency row', () => {
      const { fieldErrors } = submitErrors({
        ...validValues(),
        vehicles: Array.from({ length: 51 }, () => vehicle),
        goods: Array.from({ length: 51 }, () => goods),
        agencies: Array.from({ length: 31 }, () => agency),
      });
      expect(fieldErrors.vehicles).toEqual(['report.errors.tooManyVehicles']);
      expect(fieldErrors.goods).toEqual(['report.errors.tooManyGoods']);
      expect(fieldErrors.agencies).toEqual(['report.errors.tooManyAgencies']);
    });

    it('refuses 10,000 rows quickly', () => {
      const started = performance.now();
      const { fieldErrors } = submitErrors({ ...validValues(), vehicles: Array.from({ length: 10_000 }, () => vehicle) });
      expect(fieldErrors.vehicles).toEqual(['report.errors.tooManyVehicles']);
      expect(performance.now() - started).toBeLessThan(500);
    });

    it('requires type, count and direction of a vehicle row, each beside its field', () => {
      const { fieldErrors } = submitErrors({ ...validValues(), vehicles: [emptyVehicleRow()] });
      expect(fieldErrors).toEqual({
        'vehicles.0.vehicleType': ['report.errors.vehicleTypeRequired'],
        'vehicles.0.count': ['report.errors.countRequired'],
        'vehicles.0.direction': ['report.errors.directionRequired'],
      });
    });

    it('refuses values outside the lists', () => {
      const { fieldErrors } = submitErrors({
        ...validValues(),
        vehicles: [{ ...vehicle, vehicleType: 'tank', direction: 'sideways' }],
        goods: [{ ...goods, categoryId: 'Fuel; DROP TABLE', currency: 'EUR', value: '1' }],
        agencies: [{ ...agency, role: 'boss' }],
        sourceType: 'rumour',
        timeZone: 'Asia/Seoul',
      });
      expect(fieldErrors).toEqual({
        'vehicles.0.vehicleType': ['report.errors.vehicleTypeInvalid'],
        'vehicles.0.direction': ['report.errors.directionInvalid'],
        'goods.0.categoryId': ['report.errors.categoryInvalid'],
        'goods.0.currency': ['report.errors.currencyInvalid'],
        'agencies.0.role': ['report.errors.agencyRoleInvalid'],
        sourceType: ['report.errors.sourceTypeInvalid'],
        timeZone: ['report.errors.timeZoneInvalid'],
      });
    });

    it('pairs a goods quantity with its unit and a value with its currency', () => {
      const { fieldErrors } = submitErrors({
        ...validValues(),
        goods: [
          { ...goods, quantity: '300' },
          { ...goods, unit: 'tonnes' },
          { ...goods, value: '5000' },
          { ...goods, currency: 'CNY' },
        ],
      });
      expect(fieldErrors).toEqual({
        'goods.0.unit': ['report.errors.quantityWithoutUnit'],
        'goods.1.quantity': ['report.errors.unitWithoutQuantity'],
        'goods.2.currency': ['report.errors.valueWithoutCurrency'],
        'goods.3.value': ['report.errors.currencyWithoutValue'],
      });
    });

    it('reads goods amounts as decimals', () => {
      const result = submitSchema.safeParse({
        ...validValues(),
        goods: [{ ...goods, quantity: '2.5', unit: ' tonnes ', value: '12000', currency: 'KPW' }],
      });
      expect(result.success && result.data.goods[0]).toMatchObject({ quantity: 2.5, unit: 'tonnes', value: 12000, currency: 'KPW' });
      expect(submitErrors({ ...validValues(), goods: [{ ...goods, quantity: '1,000', unit: 'kg' }] }).fieldErrors).toEqual({
        'goods.0.quantity': ['report.errors.quantityInvalid'],
      });
    });

    it('needs a name for an "other" agency, and only then', () => {
      const { fieldErrors } = submitErrors({
        ...validValues(),
        agencies: [
          { ...agency, agencyId: 'other' },
          { ...agency, agencyId: 'police', otherName: 'Hyesan city police' },
          { ...agency, agencyId: '' },
        ],
      });
      expect(fieldErrors).toEqual({
        'agencies.0.otherName': ['report.errors.otherNameRequired'],
        'agencies.1.otherName': ['report.errors.otherNameOnlyForOther'],
        'agencies.2.agencyId': ['report.errors.agencyRequired'],
      });
    });

    it('gives agency rows the database shape: a listed id, or null with the other name', () => {
      const result = submitSchema.safeParse({
        ...validValues(),
        agencies: [agency, { ...agency, agencyId: 'other', otherName: ' Unit 10 ' }],
      });
      expect(result.success && result.data.agencies).toEqual([
        { agencyId: 'police', otherName: null, role: 'protection', note: '' },
        { agencyId: null, otherName: 'Unit 10', role: 'protection', note: '' },
      ]);
    });
  });

  describe('fields a partner may not set', () => {
    it.each(['status', 'authorId', 'role', 'id', 'version'])('refuses %s with fieldNotAllowed', (field) => {
      expect(submitErrors({ ...validValues(), [field]: 'published' }).formErrors).toEqual(['report.errors.fieldNotAllowed']);
      expect(errorsOf(draftSchema, { ...emptyReportValues(CLIENT_ID), [field]: 1 }).formErrors).toEqual([
        'report.errors.fieldNotAllowed',
      ]);
    });

    it('refuses other unknown fields with unknownField', () => {
      expect(submitErrors({ ...validValues(), colour: 'red' }).formErrors).toEqual(['report.errors.unknownField']);
    });

    it('refuses unknown fields inside a row, beside the row', () => {
      const values = validValues();
      const { fieldErrors } = submitErrors({ ...values, vehicles: [{ ...values.vehicles[0], id: 7 }] });
      expect(fieldErrors['vehicles.0']).toEqual(['report.errors.fieldNotAllowed']);
    });

    it('refuses "__proto__" sent as JSON', () => {
      const values = JSON.parse(`{"__proto__": {"status": "published"}, ${JSON.stringify(validValues()).slice(1)}`);
      expect(submitErrors(values).formErrors).toEqual(['report.errors.unknownField']);
    });
  });

  describe('times on the local clock', () => {
    it('refuses `to` before `from`, beside `to`; accepts equal times', () => {
      expect(submitErrors({ ...validValues(), observedTo: '2018-07-12T19:29' }).fieldErrors).toEqual({
        observedTo: ['report.errors.toBeforeFrom'],
      });
      expect(submitSchema.safeParse({ ...validValues(), observedTo: '2018-07-12T19:30' }).success).toBe(true);
    });

    it('does not judge order when from is the first and to the second occurrence of a repeated time', () => {
      const values = {
        ...validValues(),
        observedFrom: '2015-08-14T23:45',
        observedFromChoice: 'earlier',
        observedTo: '2015-08-14T23:35',
        observedToChoice: 'later',
      };
      expect(submitSchema.safeParse(values).success).toBe(true);
    });

    it('refuses times in the future of the given clock, in the report zone', () => {
      // 2018-07-12 19:30 in Pyongyang is 10:30 UTC; at 10:00 UTC it has not happened yet.
      const schema = buildSubmitSchema({ now: () => Date.UTC(2018, 6, 12, 10, 0) });
      expect(errorsOf(schema, validValues()).fieldErrors).toEqual({
        observedFrom: ['report.errors.timeInFuture'],
        observedTo: ['report.errors.timeInFuture'],
      });
      const later = buildSubmitSchema({ now: () => Date.UTC(2018, 6, 12, 19, 31) });
      expect(later.safeParse(validValues()).success).toBe(true);
    });

    it('refuses malformed times and choices', () => {
      expect(
        submitErrors({ ...validValues(), observedFrom: '12/07/2018 19:30', observedToChoice: 'both' }).fieldErrors,
      ).toEqual({
        observedFrom: ['report.errors.dateTimeInvalid'],
        observedToChoice: ['report.errors.timeChoiceInvalid'],
      });
    });
  });

  it('refuses a damaged clientId and lower-cases a good one', () => {
    expect(submitErrors({ ...validValues(), clientId: 'not-a-uuid' }).fieldErrors).toEqual({
      clientId: ['report.errors.clientIdInvalid'],
    });
    const result = submitSchema.safeParse({ ...validValues(), clientId: CLIENT_ID.toUpperCase() });
    expect(result.success && result.data.clientId).toBe(CLIENT_ID);
  });

  it('refuses wrong types with a message key, never English', () => {
    const { fieldErrors, formErrors } = submitErrors({ ...validValues(), title: 42, vehicles: 'many' });
    expect(fieldErrors).toEqual({ title: ['report.errors.invalidValue'], vehicles: ['report.errors.invalidValue'] });
    expect(formErrors).toEqual([]);
    expect(submitErrors(null).formErrors).toEqual(['report.errors.invalidValue']);
  });

  it('keeps every message across fields: too long, invalid, not allowed and required together', () => {
    const { fieldErrors, formErrors } = submitErrors({
      ...validValues(),
      title: 'a'.repeat(121),
      narrative: '',
      placePrecision: 'street',
      observedTo: '2018-07-01T00:00',
      status: 'published',
    });
    expect(formErrors).toEqual(['report.errors.fieldNotAllowed']);
    expect(fieldErrors).toEqual({
      title: ['report.errors.titleTooLong'],
      narrative: ['report.errors.narrativeRequired'],
      placePrecision: ['report.errors.placePrecisionInvalid'],
      observedTo: ['report.errors.toBeforeFrom'],
    });
  });
});

describe('draftSchema', () => {
  it('accepts an empty report with only its clientId', () => {
    const result = draftSchema.safeParse(emptyReportValues(CLIENT_ID));
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toMatchObject({ title: '', placeId: null, sourceType: null, observedFrom: null, timeZone: null });
  });

  it('requires the clientId', () => {
    expect(errorsOf(draftSchema, emptyReportValues('')).fieldErrors).toEqual({ clientId: ['report.errors.clientIdInvalid'] });
  });

  it('keeps half-filled rows, with nulls for what is missing', () => {
    const result = draftSchema.safeParse({
      ...emptyReportValues(CLIENT_ID),
      vehicles: [{ ...emptyVehicleRow(), vehicleType: 'truck' }],
      agencies: [{ ...emptyAgencyRow(), agencyId: 'other' }],
    });
    expect(result.success && result.data.vehicles).toEqual([
      { vehicleType: 'truck', count: null, isEstimate: false, direction: null, colours: '', cargo: '' },
    ]);
    expect(result.success && result.data.agencies).toEqual([{ agencyId: null, otherName: null, role: null, note: '' }]);
  });

  it('still refuses junk: over-long text, values outside the lists, bad counts and too many rows', () => {
    const { fieldErrors } = errorsOf(draftSchema, {
      ...emptyReportValues(CLIENT_ID),
      title: 'a'.repeat(121),
      timeZone: 'Mars/Olympus',
      observedFrom: 'yesterday',
      vehicles: [{ ...emptyVehicleRow(), count: '-5' }],
      goods: Array.from({ length: 51 }, emptyGoodsRow),
    });
    expect(fieldErrors).toEqual({
      title: ['report.errors.titleTooLong'],
      timeZone: ['report.errors.timeZoneInvalid'],
      observedFrom: ['report.errors.dateTimeInvalid'],
      'vehicles.0.count': ['report.errors.countOutOfRange'],
      goods: ['report.errors.tooManyGoods'],
    });
  });

  it('has no cross-field rules: `to` before `from` may be saved while typing', () => {
    const values = { ...emptyReportValues(CLIENT_ID), observedFrom: '2018-07-12T19:30', observedTo: '2018-07-12T08:00' };
    expect(draftSchema.safeParse(values).success).toBe(true);
  });
});

describe('collectReportErrors', () => {
  it('replaces a message that is not a report key and drops repeats', () => {
    const errors = collectReportErrors([
      { code: 'custom', message: 'Invalid input', path: ['title'], input: 1 },
      { code: 'custom', message: 'report.errors.titleTooLong', path: ['title'], input: 1 },
      { code: 'custom', message: 'report.errors.titleTooLong', path: ['title'], input: 1 },
    ]);
    expect(errors.fieldErrors).toEqual({ title: ['report.errors.invalidValue', 'report.errors.titleTooLong'] });
  });
});

describe('the client bundle', () => {
  it('schema.ts imports neither time.ts nor temporal-polyfill, directly or through its local modules', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, specifier = ''] of source.matchAll(/from '([^']+)'/g)) {
        expect(specifier).not.toBe('temporal-polyfill');
        expect(specifier).not.toMatch(/\/time$/);
        if (specifier.startsWith('./')) visit(path.join(path.dirname(file), `${specifier}.ts`));
      }
    };
    visit(path.join(__dirname, 'schema.ts'));
    expect(seen.size).toBeGreaterThan(3);
  });
});

describe('withPlaceTimeZone (the time zone follows the place)', () => {
  it('gives a new report the chosen place’s zone, and keeps a zone the partner chose', () => {
    const fresh = emptyReportValues(CLIENT_ID);
    expect(withPlaceTimeZone({ ...fresh, placeId: 'cn-dandong' }, 'Asia/Shanghai').timeZone).toBe('Asia/Shanghai');
    expect(withPlaceTimeZone({ ...fresh, timeZone: 'UTC' }, 'Asia/Shanghai').timeZone).toBe('UTC');
    expect(withPlaceTimeZone(fresh, null).timeZone).toBe('');
    expect(submitSchema.safeParse(withPlaceTimeZone({ ...validValues(), timeZone: '' }, 'Asia/Shanghai'))).toMatchObject({
      success: true,
      data: { timeZone: 'Asia/Shanghai' },
    });
  });
});

describe('layoutReportRows (the agency checklist and the spare rows)', () => {
  const listed = ['samjiyon', 'chonji', 'police'];
  const agency = (agencyId: string, role = 'operator', extra: Partial<ReportFormValues['agencies'][number]> = {}) => ({ ...emptyAgencyRow(), agencyId, role, ...extra });

  it('gives each listed agency its line, ticked or not, then the other rows, then one blank "other" line', () => {
    const values = {
      ...emptyReportValues(CLIENT_ID),
      agencies: [agency('police', 'protection'), agency('other', 'buyer', { otherName: 'Donju' }), agency('samjiyon'), agency('police', 'enforcement'), emptyAgencyRow()],
    };
    const laidOut = layoutReportRows(values, listed);
    expect(laidOut.agencies).toEqual([agency('samjiyon'), emptyAgencyRow(), agency('police', 'protection'), agency('other', 'buyer', { otherName: 'Donju' }), agency('police', 'enforcement'), emptyAgencyRow()]);
    expect(layoutReportRows(laidOut, listed)).toEqual(laidOut);
    // Nothing ticked is lost: the same rows are submitted, in another order.
    expect(withoutEmptyRowsOf(laidOut).agencies).toHaveLength(4);
  });

  it('keeps three blank vehicle and goods rows ready at the end, and the rows typed where they are', () => {
    const fresh = layoutReportRows(emptyReportValues(CLIENT_ID), listed);
    expect(fresh.vehicles).toEqual([emptyVehicleRow(), emptyVehicleRow(), emptyVehicleRow()]);
    expect(fresh.goods).toEqual([emptyGoodsRow(), emptyGoodsRow(), emptyGoodsRow()]);
    const typed = { ...fresh, vehicles: [{ ...emptyVehicleRow(), count: '3' }, emptyVehicleRow()] };
    expect(layoutReportRows(typed, listed).vehicles).toEqual([{ ...emptyVehicleRow(), count: '3' }, emptyVehicleRow(), emptyVehicleRow(), emptyVehicleRow()]);
    // Laid out again after each round trip (a no-script Save draft posts the blank rows back, the
    // stored draft has none): three blank rows, never three more each time.
    let page = layoutReportRows(typed, listed);
    for (let trip = 0; trip < 3; trip += 1) page = layoutReportRows(page, listed);
    expect(page.vehicles).toHaveLength(4);
    expect(page.goods).toHaveLength(3);
    const stored = { ...page, vehicles: page.vehicles.filter((v) => v.count !== ''), goods: [] };
    expect(layoutReportRows(stored, listed).vehicles).toEqual(page.vehicles);
    expect(layoutReportRows(stored, listed).goods).toEqual(page.goods);
    // Blank rows between typed ones count too: the section is topped up to three blank rows.
    const gaps = { ...fresh, vehicles: [emptyVehicleRow(), { ...emptyVehicleRow(), count: '3' }, emptyVehicleRow(), emptyVehicleRow()] };
    expect(layoutReportRows(gaps, listed).vehicles).toEqual(gaps.vehicles);
    const filledLast = { ...fresh, vehicles: [{ ...emptyVehicleRow(), count: '3' }, emptyVehicleRow(), emptyVehicleRow(), { ...emptyVehicleRow(), count: '4' }] };
    expect(layoutReportRows(filledLast, listed).vehicles).toEqual([...filledLast.vehicles, emptyVehicleRow()]);
    const full = { ...fresh, vehicles: Array.from({ length: 50 }, () => ({ ...emptyVehicleRow(), count: '1' })) };
    expect(layoutReportRows(full, listed).vehicles).toHaveLength(50);
  });
});

function withoutEmptyRowsOf(values: ReportFormValues) {
  const empty = emptyRowIndexes(values);
  return { agencies: values.agencies.filter((_, i) => !empty.agencies.includes(i)) };
}
