/**
 * Local wall-clock date-times as the report form carries them: the value of
 * `<input type="datetime-local">`, 'YYYY-MM-DDTHH:mm' (minutes, no seconds, no offset).
 *
 * Pure string logic plus the built-in `Intl` — no time-zone library — so the client bundle can use
 * it through `schema.ts`. The exact conversion to UTC instants lives in `time.ts` (server side).
 */

/** 'YYYY-MM-DDTHH:mm', exactly what `<input type="datetime-local">` submits for minute steps. */
export const LOCAL_DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * Which of the two instants a local time that happened twice (clocks turned back) means: 'earlier'
 * = its first occurrence, 'later' = its second. The form offers it as a radio choice.
 */
export const TIME_CHOICES = ['earlier', 'later'] as const;
export type TimeChoice = (typeof TIME_CHOICES)[number];

/**
 * Earliest year accepted. Zone data before 1900 is local mean time (e.g. UTC+8:23 for Pyongyang)
 * and no report is about that era; a typo such as '0218' is refused instead of stored.
 */
export const MIN_LOCAL_YEAR = 1900;

/** The parts of a valid local date-time (month 1–12, day 1–31, hour 0–23, minute 0–59). */
export type LocalDateTimeParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
};

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (proleptic Gregorian, as ISO 8601).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses 'YYYY-MM-DDTHH:mm' into its parts, checking the calendar (no 2018-02-30, no 24:00).
 * Returns null for anything else, including seconds, a space instead of 'T', an offset, or a year
 * before {@link MIN_LOCAL_YEAR}. Does not check that the time exists in any zone (see time.ts).
 */
export function parseLocalDateTime(value: string): LocalDateTimeParts | null {
  const match = LOCAL_DATE_TIME_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (year < MIN_LOCAL_YEAR) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59) return null;
  return { year, month, day, hour, minute };
}

/** Formats parts as 'YYYY-MM-DDTHH:mm' (zero-padded). The inverse of {@link parseLocalDateTime}. */
export function formatLocalDateTime(parts: LocalDateTimeParts): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}`;
}

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The current wall-clock time in an IANA time zone as 'YYYY-MM-DDTHH:mm', from the built-in Intl
 * time-zone data (seconds dropped). `nowMs` is a UTC instant in milliseconds.
 *
 * Used for the client-side "not in the future" check: comparing local strings in one zone is
 * exact except within the minutes around a clock change, which the server re-checks on instants.
 * Throws RangeError for a zone Intl does not know.
 */
export function currentLocalDateTime({ nowMs, timeZone }: { nowMs: number; timeZone: string }): string {
  let formatter = wallClockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    wallClockFormatters.set(timeZone, formatter);
  }
  const parts = new Map(formatter.formatToParts(nowMs).map((part) => [part.type, part.value]));
  return formatLocalDateTime({
    year: Number(parts.get('year')),
    month: Number(parts.get('month')),
    day: Number(parts.get('day')),
    hour: Number(parts.get('hour')),
    minute: Number(parts.get('minute')),
  });
}
