import { describe, expect, it } from 'vitest';
import { weekStartOf } from './coarsen';
import {
  countAgenciesNamed,
  sumGoodsQuantities,
  sumVehiclesPerWeekByDirection,
  sumVehiclesPerWeekByType,
  weekOfStart,
  type PublishedVehicleRow,
} from './stats';

const at = (iso: string): number => Date.parse(iso);
const PY = 'Asia/Pyongyang';
// Week starts as the data layer stores them: Monday 00:00 in each report's zone.
const W0709_PY = weekStartOf(at('2018-07-12T21:00+09:00'), PY); // week of 2018-07-09, Pyongyang
const W0709_SH = weekStartOf(at('2018-07-11T10:00+08:00'), 'Asia/Shanghai'); // same week, Shanghai
const W0709_UTC = weekStartOf(at('2018-07-15T23:00Z'), 'UTC'); // same week, UTC
const W0723_PY = weekStartOf(at('2018-07-23T01:00+09:00'), PY); // two weeks later
const W0430_PY830 = weekStartOf(at('2018-05-01T12:00+08:30'), PY); // UTC+8:30 era

describe('weekOfStart', () => {
  it('gives the local Monday for week starts in every report zone', () => {
    expect(weekOfStart(W0709_PY)).toBe('2018-07-09');
    expect(weekOfStart(W0709_SH)).toBe('2018-07-09');
    expect(weekOfStart(W0709_UTC)).toBe('2018-07-09');
    expect(weekOfStart(W0723_PY)).toBe('2018-07-23');
    expect(weekOfStart(W0430_PY830)).toBe('2018-04-30');
  });

  it('refuses an instant that is not a week start', () => {
    expect(() => weekOfStart(at('2018-07-12T21:00+09:00'))).toThrow(RangeError);
  });
});

describe('sumVehiclesPerWeekByDirection', () => {
  const rows: PublishedVehicleRow[] = [
    { weekStart: W0709_PY, vehicleType: 'bus', direction: 'into_kp', count: 12 },
    { weekStart: W0709_PY, vehicleType: 'truck', direction: 'into_kp', count: 20 },
    { weekStart: W0709_SH, vehicleType: 'truck', direction: 'out_of_kp', count: 7 },
    { weekStart: W0723_PY, vehicleType: 'car', direction: 'out_of_kp', count: 3 },
    { weekStart: W0723_PY, vehicleType: 'car', direction: 'into_kp', count: 0 },
  ];

  it('adds counts per week and direction, one week across zones, with the empty week between as zeros', () => {
    expect(sumVehiclesPerWeekByDirection(rows)).toEqual({
      keys: ['into_kp', 'out_of_kp'],
      weeks: [
        { weekOf: '2018-07-09', counts: { into_kp: 32, out_of_kp: 7, within: 0, unknown: 0 }, total: 39 },
        { weekOf: '2018-07-16', counts: { into_kp: 0, out_of_kp: 0, within: 0, unknown: 0 }, total: 0 },
        { weekOf: '2018-07-23', counts: { into_kp: 0, out_of_kp: 3, within: 0, unknown: 0 }, total: 3 },
      ],
      total: 42,
    });
  });

  it('orders weeks by date whatever the row order', () => {
    const weeks = sumVehiclesPerWeekByDirection([...rows].reverse()).weeks.map((w) => w.weekOf);
    expect(weeks).toEqual(['2018-07-09', '2018-07-16', '2018-07-23']);
  });

  it('is empty for no rows', () => {
    expect(sumVehiclesPerWeekByDirection([])).toEqual({ keys: [], weeks: [], total: 0 });
  });
});

describe('sumVehiclesPerWeekByType', () => {
  it('adds counts per week and vehicle type, legend keys in the enum order', () => {
    const result = sumVehiclesPerWeekByType([
      { weekStart: W0709_PY, vehicleType: 'truck', direction: 'into_kp', count: 20 },
      { weekStart: W0709_UTC, vehicleType: 'bus', direction: 'into_kp', count: 12 },
      { weekStart: W0709_PY, vehicleType: 'truck', direction: 'out_of_kp', count: 5 },
      { weekStart: W0430_PY830, vehicleType: 'boat', direction: 'unknown', count: 2 },
    ]);
    expect(result.keys).toEqual(['bus', 'truck', 'boat']);
    expect(result.total).toBe(39);
    expect(result.weeks).toHaveLength(11); // 2018-04-30 … 2018-07-09
    expect(result.weeks[0]).toMatchObject({ weekOf: '2018-04-30', total: 2, counts: { boat: 2, truck: 0 } });
    expect(result.weeks.at(-1)).toMatchObject({ weekOf: '2018-07-09', total: 37, counts: { bus: 12, truck: 25, car: 0 } });
    expect(result.weeks.slice(1, -1).every((w) => w.total === 0)).toBe(true);
  });
});

describe('sumGoodsQuantities', () => {
  const row = (publicationId: number, categoryId: string, direction: 'into_kp' | 'out_of_kp' | 'unknown', quantity: number | null, unit: string | null) => ({
    publicationId, categoryId, direction, quantity, unit,
  });

  it('sums quantities per category and unit by direction, never across units, and counts rows and reports', () => {
    const result = sumGoodsQuantities([
      row(1, 'minerals', 'out_of_kp', 2.5, 't'),
      row(1, 'minerals', 'out_of_kp', 4, 'T '), // the same unit, typed differently
      row(2, 'minerals', 'unknown', 1, 't'),
      row(2, 'minerals', 'out_of_kp', 300, 'kg'),
      row(3, 'minerals', 'out_of_kp', null, null), // no quantity: counted as a row only
      row(3, 'electronics', 'into_kp', 20, 'boxes'),
    ]);
    expect(result.rows).toBe(6);
    expect(result.reports).toBe(3);
    expect(result.groups).toEqual([
      { categoryId: 'minerals', unit: 't', quantities: { into_kp: 0, out_of_kp: 6.5, within: 0, unknown: 1 }, total: 7.5, rows: 3, reports: 2 },
      { categoryId: 'minerals', unit: 'kg', quantities: { into_kp: 0, out_of_kp: 300, within: 0, unknown: 0 }, total: 300, rows: 1, reports: 1 },
      { categoryId: 'minerals', unit: null, quantities: { into_kp: 0, out_of_kp: 0, within: 0, unknown: 0 }, total: 0, rows: 1, reports: 1 },
      { categoryId: 'electronics', unit: 'boxes', quantities: { into_kp: 20, out_of_kp: 0, within: 0, unknown: 0 }, total: 20, rows: 1, reports: 1 },
    ]);
  });

  it('keeps a Korean unit its own (no conversion) and a quantity without a unit under ""', () => {
    const units = sumGoodsQuantities([row(1, 'lumber', 'out_of_kp', 3, '톤'), row(1, 'lumber', 'out_of_kp', 2, 't'), row(2, 'lumber', 'out_of_kp', 7, '  ')]).groups.map((g) => g.unit);
    expect(units.sort()).toEqual(['', 't', '톤']);
  });

  it('is empty for no rows', () => {
    expect(sumGoodsQuantities([])).toEqual({ groups: [], rows: 0, reports: 0 });
  });
});

describe('countAgenciesNamed', () => {
  it('counts publications, not rows, and groups unlisted names ignoring case and spaces', () => {
    expect(
      countAgenciesNamed([
        { publicationId: 1, agencyId: 'samjiyon', name: 'Samjiyon Trading Company' },
        { publicationId: 1, agencyId: 'border-guard', name: 'Border Guard' },
        { publicationId: 1, agencyId: 'samjiyon', name: 'Samjiyon Trading Company' }, // second role, same publication
        { publicationId: 2, agencyId: 'samjiyon', name: 'Samjiyon Trading Company' },
        { publicationId: 2, agencyId: null, name: 'Reung La' },
        { publicationId: 3, agencyId: null, name: ' reung la ' },
        { publicationId: 3, agencyId: 'border-guard', name: 'Border Guard' },
        { publicationId: 3, agencyId: 'chonji', name: 'Chonji' },
        { publicationId: 3, agencyId: null, name: '  ' },
      ]),
    ).toEqual([
      { agencyId: 'border-guard', name: 'Border Guard', publications: 2 },
      { agencyId: null, name: 'Reung La', publications: 2 },
      { agencyId: 'samjiyon', name: 'Samjiyon Trading Company', publications: 2 },
      { agencyId: 'chonji', name: 'Chonji', publications: 1 },
    ]);
  });

  it('keeps an unlisted agency apart from a listed one of the same name', () => {
    const result = countAgenciesNamed([
      { publicationId: 1, agencyId: 'chonji', name: 'Chonji' },
      { publicationId: 2, agencyId: null, name: 'Chonji' },
    ]);
    expect(result).toHaveLength(2);
  });

  it('is empty for no rows', () => {
    expect(countAgenciesNamed([])).toEqual([]);
  });
});
