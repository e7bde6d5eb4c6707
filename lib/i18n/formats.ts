/**
 * Date formats shared by partner pages and the public site, for next-intl's `format.dateTime`
 * (getFormatter / useFormatter), which applies the reader's locale: 'Jul 14, 2018' in English,
 * '2018. 7. 14.' in Korean. Pure: no imports, usable in server and client components.
 *
 * Each preset names its time zone, so the text is the same on the server and in the browser
 * (no hydration mismatch) and never depends on the machine's zone.
 */

/** The calendar date of a UTC instant (publication and retraction dates). */
export const DATE_UTC = { dateStyle: 'medium', timeZone: 'UTC' } as const satisfies Intl.DateTimeFormatOptions;

/**
 * Date and time on the 24-hour clock, as partners type times: 'Jul 12, 2018, 19:30' /
 * '2018년 7월 12일 19:30'. Give it the zone to show the wall clock of: `{ ...DATE_TIME, timeZone }`.
 */
export const DATE_TIME = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
} as const satisfies Intl.DateTimeFormatOptions;

/**
 * Date and time of a UTC instant with the zone named: 'Jul 14, 2018, 22:05 UTC' /
 * '2018년 7월 14일 22:05 UTC'. (24-hour also because with a zone name ICU writes a 12-hour Korean
 * time as 'PM 10:05', not '오후 10:05'.)
 */
export const DATE_TIME_UTC = { ...DATE_TIME, timeZone: 'UTC', timeZoneName: 'short' } as const satisfies Intl.DateTimeFormatOptions;

/** A short day and month for chart axes ('Jul 9' / '7월 9일'); the table beneath gives the year. */
export const DAY_MONTH_UTC = { month: 'short', day: 'numeric', timeZone: 'UTC' } as const satisfies Intl.DateTimeFormatOptions;

/** Month and year for chart axes spanning more than one calendar year ('Jul 2018' / '2018년 7월'). */
export const MONTH_YEAR_UTC = { month: 'short', year: 'numeric', timeZone: 'UTC' } as const satisfies Intl.DateTimeFormatOptions;

/**
 * A calendar date written 'YYYY-MM-DD' (e.g. the Monday a statistics week starts on) as a Date at
 * UTC midnight, for formatting with the UTC presets above. Throws RangeError on anything else.
 */
export function calendarDate(isoDate: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`Not a calendar date: ${isoDate}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}
