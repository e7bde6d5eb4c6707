import { describe, expect, it } from 'vitest';
import {
  formatInstantWithOffset,
  instantToLocalDateTime,
  isTimeZoneName,
  localDateTimeToInstant,
  utcOffsetLabel,
} from './time';

const PY = 'Asia/Pyongyang';

function instantOf(localDateTime: string, timeZone: string, choice?: 'earlier' | 'later'): number {
  const result = localDateTimeToInstant({ localDateTime, timeZone, choice });
  if (!result.ok) throw new Error(`expected ${localDateTime} in ${timeZone} to convert, got ${result.reason}`);
  return result.instantMs;
}

describe('the runtime time-zone data', () => {
  it("knows Pyongyang's 2015 and 2018 clock changes (Intl, which temporal-polyfill reads)", () => {
    const offset = (iso: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: PY, timeZoneName: 'longOffset' })
        .formatToParts(new Date(iso))
        .find((part) => part.type === 'timeZoneName')?.value;
    expect(offset('2015-08-14T14:59:00Z')).toBe('GMT+09:00');
    expect(offset('2015-08-14T15:00:00Z')).toBe('GMT+08:30');
    expect(offset('2018-05-04T14:59:00Z')).toBe('GMT+08:30');
    expect(offset('2018-05-04T15:00:00Z')).toBe('GMT+09:00');
  });
});

describe('localDateTimeToInstant', () => {
  it('uses UTC+8:30 in Pyongyang in 2017: 22:00 local is 13:30 UTC', () => {
    expect(instantOf('2017-07-10T22:00', PY)).toBe(Date.UTC(2017, 6, 10, 13, 30));
  });

  it('uses UTC+9 in Pyongyang in July 2018: 22:00 local is 13:00 UTC', () => {
    expect(instantOf('2018-07-10T22:00', PY)).toBe(Date.UTC(2018, 6, 10, 13, 0));
  });

  it('uses UTC+9 in Pyongyang before 15 August 2015', () => {
    expect(instantOf('2015-08-14T23:29', PY)).toBe(Date.UTC(2015, 7, 14, 14, 29));
  });

  it('gives different instants for the same wall clock in Shanghai (UTC+8) and Pyongyang (UTC+9)', () => {
    const shanghai = instantOf('2018-07-12T19:30', 'Asia/Shanghai');
    const pyongyang = instantOf('2018-07-12T19:30', PY);
    expect(shanghai).toBe(Date.UTC(2018, 6, 12, 11, 30));
    expect(pyongyang).toBe(Date.UTC(2018, 6, 12, 10, 30));
    expect(shanghai - pyongyang).toBe(60 * 60 * 1000);
  });

  it('treats UTC as UTC', () => {
    expect(instantOf('2018-07-12T19:30', 'UTC')).toBe(Date.UTC(2018, 6, 12, 19, 30));
  });

  it.each(['2018-05-04T23:30', '2018-05-04T23:45', '2018-05-04T23:59'])(
    'refuses %s in Pyongyang: it never happened (clocks jumped to 00:00)',
    (localDateTime) => {
      const result = localDateTimeToInstant({ localDateTime, timeZone: PY });
      expect(result).toMatchObject({
        ok: false,
        reason: 'gap',
        message: 'report.errors.timeInGap',
        clockChange: { atMs: Date.UTC(2018, 4, 4, 15, 0), offsetBefore: 'UTC+8:30', offsetAfter: 'UTC+9' },
      });
    },
  );

  it('refuses a gap time even when a choice is passed', () => {
    const result = localDateTimeToInstant({ localDateTime: '2018-05-04T23:45', timeZone: PY, choice: 'earlier' });
    expect(result).toMatchObject({ ok: false, reason: 'gap' });
  });

  it('accepts the minutes either side of the 2018 gap', () => {
    expect(instantOf('2018-05-04T23:29', PY)).toBe(Date.UTC(2018, 4, 4, 14, 59));
    expect(instantOf('2018-05-05T00:00', PY)).toBe(Date.UTC(2018, 4, 4, 15, 0));
  });

  it.each(['2015-08-14T23:30', '2015-08-14T23:45', '2015-08-14T23:59'])(
    'asks which %s in Pyongyang is meant: it happened twice',
    (localDateTime) => {
      const result = localDateTimeToInstant({ localDateTime, timeZone: PY });
      expect(result).toMatchObject({
        ok: false,
        reason: 'overlap',
        message: 'report.errors.timeAmbiguous',
        clockChange: { atMs: Date.UTC(2015, 7, 14, 15, 0), offsetBefore: 'UTC+9', offsetAfter: 'UTC+8:30' },
      });
    },
  );

  it('offers both instants of an ambiguous time with their offsets', () => {
    const result = localDateTimeToInstant({ localDateTime: '2015-08-14T23:45', timeZone: PY });
    if (result.ok || result.reason !== 'overlap') throw new Error('expected an overlap');
    expect(result.options).toEqual({
      earlier: { instantMs: Date.UTC(2015, 7, 14, 14, 45), offsetLabel: 'UTC+9' },
      later: { instantMs: Date.UTC(2015, 7, 14, 15, 15), offsetLabel: 'UTC+8:30' },
    });
  });

  it('takes the first or the second occurrence of an ambiguous time when told which', () => {
    expect(instantOf('2015-08-14T23:45', PY, 'earlier')).toBe(Date.UTC(2015, 7, 14, 14, 45));
    expect(instantOf('2015-08-14T23:45', PY, 'later')).toBe(Date.UTC(2015, 7, 14, 15, 15));
  });

  it('ignores a choice for a time that is not ambiguous', () => {
    expect(instantOf('2017-07-10T22:00', PY, 'later')).toBe(Date.UTC(2017, 6, 10, 13, 30));
  });

  it.each(['', '2018-07-12', '2018-07-12T19:30:00', '2018-07-12 19:30', '2018-02-30T10:00', '2018-07-12T24:00', '0218-07-12T19:30', '2018-07-12T19:30+09:00'])(
    'refuses the malformed local date-time %j',
    (localDateTime) => {
      expect(localDateTimeToInstant({ localDateTime, timeZone: PY })).toEqual({
        ok: false,
        reason: 'invalid',
        message: 'report.errors.dateTimeInvalid',
      });
    },
  );

  it.each(['Asia/Seoul', 'asia/pyongyang', '+09:00', ''])('refuses the time zone %j (not a report zone)', (timeZone) => {
    expect(localDateTimeToInstant({ localDateTime: '2018-07-12T19:30', timeZone })).toEqual({
      ok: false,
      reason: 'timeZone',
      message: 'report.errors.timeZoneInvalid',
    });
  });
});

describe('instantToLocalDateTime and formatting', () => {
  it('shows an instant back as the wall clock of the zone it was entered in', () => {
    const instantMs = Date.UTC(2018, 6, 12, 10, 30);
    expect(instantToLocalDateTime({ instantMs, timeZone: PY })).toBe('2018-07-12T19:30');
    expect(instantToLocalDateTime({ instantMs, timeZone: 'Asia/Shanghai' })).toBe('2018-07-12T18:30');
    expect(instantToLocalDateTime({ instantMs, timeZone: 'UTC' })).toBe('2018-07-12T10:30');
  });

  it('drops seconds', () => {
    expect(instantToLocalDateTime({ instantMs: Date.UTC(2018, 6, 12, 10, 30, 59, 999), timeZone: 'UTC' })).toBe(
      '2018-07-12T10:30',
    );
  });

  it('labels offsets as partners read them', () => {
    expect(formatInstantWithOffset({ instantMs: Date.UTC(2018, 6, 12, 10, 30), timeZone: PY })).toBe(
      '2018-07-12 19:30 (UTC+9)',
    );
    expect(formatInstantWithOffset({ instantMs: Date.UTC(2017, 6, 10, 13, 30), timeZone: PY })).toBe(
      '2017-07-10 22:00 (UTC+8:30)',
    );
    expect(formatInstantWithOffset({ instantMs: Date.UTC(2018, 6, 12, 10, 30), timeZone: 'UTC' })).toBe(
      '2018-07-12 10:30 (UTC)',
    );
    expect(utcOffsetLabel({ instantMs: Date.UTC(2018, 6, 12), timeZone: 'Asia/Shanghai' })).toBe('UTC+8');
  });

  it('tells apart the two occurrences of an ambiguous time', () => {
    expect(formatInstantWithOffset({ instantMs: Date.UTC(2015, 7, 14, 14, 45), timeZone: PY })).toBe(
      '2015-08-14 23:45 (UTC+9)',
    );
    expect(formatInstantWithOffset({ instantMs: Date.UTC(2015, 7, 14, 15, 15), timeZone: PY })).toBe(
      '2015-08-14 23:45 (UTC+8:30)',
    );
  });

  it('throws on a non-finite instant or an unknown zone (programming errors, not user input)', () => {
    expect(() => instantToLocalDateTime({ instantMs: Number.NaN, timeZone: PY })).toThrow(RangeError);
    // @ts-expect-error - a zone outside TIME_ZONES must be refused at run time too
    expect(() => formatInstantWithOffset({ instantMs: 0, timeZone: 'Asia/Seoul' })).toThrow(RangeError);
  });
});

describe('round trip local → instant → local', () => {
  it.each([PY, 'Asia/Shanghai', 'UTC'] as const)('returns the same wall clock in %s every 7 h 13 min over 2014–2019', (timeZone) => {
    const start = Date.UTC(2014, 0, 1);
    const end = Date.UTC(2019, 11, 31);
    let checked = 0;
    for (let instantMs = start; instantMs < end; instantMs += (7 * 60 + 13) * 60_000) {
      const local = instantToLocalDateTime({ instantMs, timeZone });
      const result = localDateTimeToInstant({ localDateTime: local, timeZone, choice: 'earlier' });
      if (!result.ok) throw new Error(`${local} in ${timeZone} did not convert: ${result.reason}`);
      expect(instantToLocalDateTime({ instantMs: result.instantMs, timeZone })).toBe(local);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(7000);
  });

  it('returns to the same instant for each occurrence of an ambiguous time', () => {
    for (const choice of ['earlier', 'later'] as const) {
      const instantMs = instantOf('2015-08-14T23:30', PY, choice);
      expect(instantToLocalDateTime({ instantMs, timeZone: PY })).toBe('2015-08-14T23:30');
    }
  });
});

describe('isTimeZoneName', () => {
  it('accepts only the report zones', () => {
    expect(isTimeZoneName('Asia/Pyongyang')).toBe(true);
    expect(isTimeZoneName('UTC')).toBe(true);
    expect(isTimeZoneName('Europe/London')).toBe(false);
    expect(isTimeZoneName(undefined)).toBe(false);
  });
});
