import { describe, expect, it } from 'vitest';
import { TIME_COARSENINGS, TIME_ZONES } from '@/db/schema';
import { coarsenTime, weekStartOf } from './coarsen';

/** UTC ms from an ISO string with an explicit offset, e.g. '2018-07-01T02:00+09:00'. */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};
const PY = 'Asia/Pyongyang';

describe('coarsenTime: month boundaries in the report zone', () => {
  it('puts 2018-07-01 02:00 Pyongyang time in July, although it is still June in UTC', () => {
    const observed = at('2018-07-01T02:00+09:00');
    expect(new Date(observed).toISOString()).toBe('2018-06-30T17:00:00.000Z');
    expect(coarsenTime({ observedFrom: observed, observedTo: observed, timeZone: PY, choice: 'month' })).toEqual({
      start: at('2018-07-01T00:00+09:00'),
      end: at('2018-08-01T00:00+09:00'),
      choice: 'month',
      label: { en: 'July 2018', ko: '2018년 7월' },
    });
  });

  it('puts the same instant in June for a report entered in UTC', () => {
    const observed = at('2018-06-30T17:00Z');
    const period = coarsenTime({ observedFrom: observed, observedTo: observed, timeZone: 'UTC', choice: 'month' });
    expect(period).toMatchObject({ start: at('2018-06-01T00:00Z'), end: at('2018-07-01T00:00Z') });
    expect(period.label).toEqual({ en: 'June 2018', ko: '2018년 6월' });
  });

  it('labels a window across two months and across a new year', () => {
    expect(
      coarsenTime({
        observedFrom: at('2018-06-30T22:00+09:00'),
        observedTo: at('2018-07-01T04:00+09:00'),
        timeZone: PY,
        choice: 'month',
      }),
    ).toMatchObject({
      start: at('2018-06-01T00:00+09:00'),
      end: at('2018-08-01T00:00+09:00'),
      label: { en: 'June to July 2018', ko: '2018년 6월 ~ 2018년 7월' },
    });
    expect(
      coarsenTime({
        observedFrom: at('2018-12-31T20:00+09:00'),
        observedTo: at('2019-01-01T03:00+09:00'),
        timeZone: PY,
        choice: 'month',
      }).label,
    ).toEqual({ en: 'December 2018 to January 2019', ko: '2018년 12월 ~ 2019년 1월' });
  });
});

describe('coarsenTime and weekStartOf: ISO weeks starting Monday 00:00 local', () => {
  it('puts Monday 01:00 Pyongyang time in that week, although it is still Sunday in UTC', () => {
    const observed = at('2018-07-09T01:00+09:00');
    expect(new Date(observed).getUTCDay()).toBe(0);
    expect(coarsenTime({ observedFrom: observed, observedTo: observed, timeZone: PY, choice: 'week' })).toEqual({
      start: at('2018-07-09T00:00+09:00'),
      end: at('2018-07-16T00:00+09:00'),
      choice: 'week',
      label: { en: 'week of 2018-07-09', ko: '2018-07-09 주간' },
    });
    expect(weekStartOf(observed, PY)).toBe(at('2018-07-08T15:00Z'));
  });

  it('puts Sunday 23:30 Pyongyang time in the week before', () => {
    const observed = at('2018-07-08T23:30+09:00');
    expect(weekStartOf(observed, PY)).toBe(at('2018-07-02T00:00+09:00'));
    expect(coarsenTime({ observedFrom: observed, observedTo: observed, timeZone: PY, choice: 'week' }).label.en).toBe(
      'week of 2018-07-02',
    );
  });

  it('gives the UTC week for the same Monday-01:00-Pyongyang instant in a UTC report', () => {
    expect(weekStartOf(at('2018-07-09T01:00+09:00'), 'UTC')).toBe(at('2018-07-02T00:00Z'));
  });

  it('uses Shanghai midnight for an Asia/Shanghai report', () => {
    expect(weekStartOf(at('2018-07-09T00:30+08:00'), 'Asia/Shanghai')).toBe(at('2018-07-08T16:00Z'));
  });

  it('labels a window across two weeks', () => {
    expect(
      coarsenTime({
        observedFrom: at('2018-07-08T20:00+09:00'),
        observedTo: at('2018-07-09T05:00+09:00'),
        timeZone: PY,
        choice: 'week',
      }),
    ).toMatchObject({
      start: at('2018-07-02T00:00+09:00'),
      end: at('2018-07-16T00:00+09:00'),
      label: { en: 'weeks of 2018-07-02 to 2018-07-09', ko: '2018-07-02 주간 ~ 2018-07-09 주간' },
    });
  });
});

describe('coarsenTime: days and hours', () => {
  it('defaults to the local day', () => {
    expect(
      coarsenTime({ observedFrom: at('2018-07-12T21:15+09:00'), observedTo: at('2018-07-12T23:40+09:00'), timeZone: PY }),
    ).toEqual({
      start: at('2018-07-12T00:00+09:00'),
      end: at('2018-07-13T00:00+09:00'),
      choice: 'day',
      label: { en: '2018-07-12', ko: '2018-07-12' },
    });
  });

  it('labels "after sunset until dawn" as two days', () => {
    expect(
      coarsenTime({ observedFrom: at('2018-07-12T20:00+09:00'), observedTo: at('2018-07-13T04:30+09:00'), timeZone: PY }),
    ).toMatchObject({
      start: at('2018-07-12T00:00+09:00'),
      end: at('2018-07-14T00:00+09:00'),
      label: { en: '2018-07-12 to 2018-07-13', ko: '2018-07-12 ~ 2018-07-13' },
    });
  });

  it('does not reach into the next day for a window ending exactly at midnight', () => {
    expect(
      coarsenTime({ observedFrom: at('2018-07-12T20:00+09:00'), observedTo: at('2018-07-13T00:00+09:00'), timeZone: PY }),
    ).toMatchObject({ end: at('2018-07-13T00:00+09:00'), label: { en: '2018-07-12' } });
  });

  it('gives whole local hours with the zone in the label', () => {
    expect(
      coarsenTime({
        observedFrom: at('2018-07-12T21:10+09:00'),
        observedTo: at('2018-07-12T22:05+09:00'),
        timeZone: PY,
        choice: 'hour',
      }),
    ).toEqual({
      start: at('2018-07-12T21:00+09:00'),
      end: at('2018-07-12T23:00+09:00'),
      choice: 'hour',
      label: { en: '2018-07-12 21:00–23:00 (Asia/Pyongyang)', ko: '2018-07-12 21:00–23:00 (Asia/Pyongyang)' },
    });
  });

  it('labels hours across midnight with both dates', () => {
    expect(
      coarsenTime({
        observedFrom: at('2018-07-12T23:10+09:00'),
        observedTo: at('2018-07-13T01:05+09:00'),
        timeZone: PY,
        choice: 'hour',
      }).label,
    ).toEqual({
      en: '2018-07-12 23:00 to 2018-07-13 02:00 (Asia/Pyongyang)',
      ko: '2018-07-12 23:00 ~ 2018-07-13 02:00 (Asia/Pyongyang)',
    });
  });
});

describe('coarsenTime: the UTC+8:30 era of Pyongyang time (2015-08-15 to 2018-05-04)', () => {
  it('cuts hours at half past the UTC hour', () => {
    const observed = at('2016-03-01T21:10+08:30');
    expect(coarsenTime({ observedFrom: observed, observedTo: observed, timeZone: PY, choice: 'hour' })).toMatchObject({
      start: at('2016-03-01T12:30Z'),
      end: at('2016-03-01T13:30Z'),
      label: { en: '2016-03-01 21:00–22:00 (Asia/Pyongyang)' },
    });
  });

  it('starts the day at 15:30 UTC', () => {
    const observed = at('2016-03-01T06:00+08:30');
    expect(coarsenTime({ observedFrom: observed, observedTo: observed, timeZone: PY })).toMatchObject({
      start: at('2016-02-29T15:30Z'),
      end: at('2016-03-01T15:30Z'),
      label: { en: '2016-03-01' },
    });
  });

  it('makes 2015-08-14 a 24.5-hour day (clocks went back at midnight)', () => {
    const period = coarsenTime({ observedFrom: at('2015-08-14T12:00+09:00'), observedTo: at('2015-08-14T12:00+09:00'), timeZone: PY });
    expect(period).toMatchObject({ start: at('2015-08-14T00:00+09:00'), end: at('2015-08-15T00:00+08:30') });
    expect(period.end - period.start).toBe(24.5 * 3600_000);
  });

  it('makes 2018-05-04 a 23.5-hour day (clocks went forward at 23:30)', () => {
    const period = coarsenTime({ observedFrom: at('2018-05-04T12:00+08:30'), observedTo: at('2018-05-04T12:00+08:30'), timeZone: PY });
    expect(period).toMatchObject({ start: at('2018-05-04T00:00+08:30'), end: at('2018-05-05T00:00+09:00') });
    expect(period.end - period.start).toBe(23.5 * 3600_000);
  });

  it('cuts the week of the change with the offset of each end', () => {
    expect(weekStartOf(at('2018-05-03T12:00+08:30'), PY)).toBe(at('2018-04-30T00:00+08:30'));
    expect(
      coarsenTime({ observedFrom: at('2018-05-03T12:00+08:30'), observedTo: at('2018-05-03T13:00+08:30'), timeZone: PY, choice: 'week' }),
    ).toMatchObject({ start: at('2018-04-29T15:30Z'), end: at('2018-05-06T15:00Z'), label: { en: 'week of 2018-04-30' } });
  });

  it('gives the last half hour before the change its own short hour', () => {
    expect(
      coarsenTime({
        observedFrom: at('2018-05-04T23:10+08:30'),
        observedTo: at('2018-05-04T23:10+08:30'),
        timeZone: PY,
        choice: 'hour',
      }),
    ).toMatchObject({ start: at('2018-05-04T23:00+08:30'), end: at('2018-05-05T00:00+09:00') });
  });
});

describe('coarsenTime: every period covers the window and is no finer than asked', () => {
  // Deterministic spread of windows over 2014–2020 (both Pyongyang offset changes included).
  const windows: [number, number][] = [];
  let seed = 20180712;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 200; i++) {
    const from = at('2014-01-01T00:00Z') + Math.floor(next() * 7 * 365 * 86400_000);
    windows.push([from, from + Math.floor(next() * 3 * 86400_000)]);
  }
  const MIN_LENGTH = { hour: 0.5 * 3600_000, day: 23.5 * 3600_000, week: 7 * 86400_000 - 3600_000, month: 28 * 86400_000 };

  for (const timeZone of TIME_ZONES) {
    for (const choice of TIME_COARSENINGS) {
      it(`${choice} in ${timeZone}`, () => {
        for (const [observedFrom, observedTo] of windows) {
          const period = coarsenTime({ observedFrom, observedTo, timeZone, choice });
          expect(period.start).toBeLessThanOrEqual(observedFrom);
          expect(period.end).toBeGreaterThanOrEqual(observedTo);
          expect(period.end - period.start).toBeGreaterThanOrEqual(MIN_LENGTH[choice]);
          if (choice === 'week') expect(period.start).toBe(weekStartOf(observedFrom, timeZone));
        }
      });
    }
  }
});

describe('coarsenTime: bad input', () => {
  it('throws when the window ends before it starts', () => {
    expect(() => coarsenTime({ observedFrom: 2, observedTo: 1, timeZone: PY })).toThrow(RangeError);
  });

  it('throws for a non-finite instant or an unknown zone', () => {
    expect(() => coarsenTime({ observedFrom: Number.NaN, observedTo: 1, timeZone: PY })).toThrow(RangeError);
    expect(() => coarsenTime({ observedFrom: 0, observedTo: 1, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => weekStartOf(Number.POSITIVE_INFINITY, PY)).toThrow(RangeError);
  });
});
