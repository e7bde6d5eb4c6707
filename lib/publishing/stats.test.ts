import { describe, expect, it } from 'vitest';
import { weekStartOf } from './coarsen';
import {
  countAgenciesNamed,
  sumGoodsByCategoryAndDirection,
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

describe('sumGoodsByCategoryAndDirection', () => {
  it('counts goods rows per category and direction, largest category first', () => {
    expect(
      sumGoodsByCategoryAndDirection([
        { categoryId: 'electronics', direction: 'into_kp' },
        { categoryId: 'minerals', direction: 'out_of_kp' },
        { categoryId: 'clothing', direction: 'into_kp' },
        { categoryId: 'electronics', direction: 'into_kp' },
        { categoryId: 'lumber', direction: 'out_of_kp' },
        { categoryId: 'minerals', direction: 'unknown' },
        { categoryId: 'electronics', direction: 'out_of_kp' },
      ]),
    ).toEqual({
      categories: [
        { categoryId: 'electronics', counts: { into_kp: 2, out_of_kp: 1, within: 0, unknown: 0 }, total: 3 },
        { categoryId: 'minerals', counts: { into_kp: 0, out_of_kp: 1, within: 0, unknown: 1 }, total: 2 },
        { categoryId: 'clothing', counts: { into_kp: 1, out_of_kp: 0, within: 0, unknown: 0 }, total: 1 },
        { categoryId: 'lumber', counts: { into_kp: 0, out_of_kp: 1, within: 0, unknown: 0 }, total: 1 },
      ],
      total: 7,
    });
  });

  it('is empty for no rows', () => {
    expect(sumGoodsByCategoryAndDirection([])).toEqual({ categories: [], total: 0 });
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
