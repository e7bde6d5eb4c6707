import { describe, expect, it } from 'vitest';
import { calendarDate, DATE_TIME, DATE_TIME_UTC, DATE_UTC, DAY_MONTH_UTC } from './formats';

const instant = new Date(Date.UTC(2018, 6, 14, 10, 30));
const format = (locale: string, options: Intl.DateTimeFormatOptions, date = instant) => new Intl.DateTimeFormat(locale, options).format(date);

describe('date presets', () => {
  it('write a date the way each language reads it', () => {
    expect(format('en', DATE_UTC)).toBe('Jul 14, 2018');
    expect(format('ko', DATE_UTC)).toBe('2018. 7. 14.');
  });

  it('name the zone of a date and time, and never use the machine’s zone', () => {
    expect(format('en', DATE_TIME_UTC)).toBe('Jul 14, 2018, 10:30 UTC');
    expect(format('ko', DATE_TIME_UTC)).toBe('2018년 7월 14일 10:30 UTC');
    expect(format('ko', DATE_TIME_UTC, new Date(Date.UTC(2018, 6, 14, 22, 5)))).toBe('2018년 7월 14일 22:05 UTC');
  });

  it('show the wall clock of the zone a time was entered in, whatever its offset that day', () => {
    // 19:30 in Pyongyang: UTC+9 in July 2018, UTC+8:30 in July 2016.
    expect(format('en', { ...DATE_TIME, timeZone: 'Asia/Pyongyang' }, new Date(Date.UTC(2018, 6, 12, 10, 30)))).toBe('Jul 12, 2018, 19:30');
    expect(format('ko', { ...DATE_TIME, timeZone: 'Asia/Pyongyang' }, new Date(Date.UTC(2016, 6, 12, 11, 0)))).toBe('2016년 7월 12일 19:30');
  });

  it('give short axis labels', () => {
    expect(format('en', DAY_MONTH_UTC)).toBe('Jul 14');
    expect(format('ko', DAY_MONTH_UTC)).toBe('7월 14일');
  });
});

describe('calendarDate', () => {
  it('keeps the calendar day whatever the zone', () => {
    expect(format('en', DATE_UTC, calendarDate('2018-07-09'))).toBe('Jul 9, 2018');
    expect(calendarDate('2018-07-09').toISOString()).toBe('2018-07-09T00:00:00.000Z');
  });

  it('refuses anything but YYYY-MM-DD', () => {
    for (const bad of ['2018-7-9', '09/07/2018', '', '2018-07-09T00:00']) expect(() => calendarDate(bad)).toThrow(RangeError);
  });
});
