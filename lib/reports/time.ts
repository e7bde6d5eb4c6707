/**
 * Report times: local wall-clock date-times in an IANA time zone ↔ UTC instants.
 *
 * Conversion uses `temporal-polyfill`, which reads the zone rules from the runtime's ICU time-zone
 * data (Intl) — never a hand-made offset table. Asia/Pyongyang was UTC+9 until 2015-08-15 00:00,
 * when clocks went back to 23:30 (UTC+8:30), and went forward from 2018-05-04 23:30 to 2018-05-05
 * 00:00 (UTC+9 again). So 2015-08-14 23:30–23:59 happened twice (an "overlap") and 2018-05-04
 * 23:30–23:59 never happened (a "gap"). time.test.ts checks that the runtime's data knows this.
 *
 * Server-side module: temporal-polyfill is large, so client components should not import it;
 * schema.ts deliberately does not.
 */
import { Temporal } from 'temporal-polyfill';
import { TIME_ZONES, type TimeZoneName } from '@/db/enums';
import { formatLocalDateTime, parseLocalDateTime, TIME_CHOICES, type TimeChoice } from './local-date-time';
import { reportMessage, type ReportMessageKey } from './messages';

export { TIME_CHOICES, type TimeChoice };

/** One candidate instant for a local time, with its offset as shown to a partner ('UTC+8:30'). */
export type InstantOption = {
  /** UTC instant in milliseconds since the epoch. */
  instantMs: number;
  /** The zone's offset at that instant, e.g. 'UTC+9', 'UTC+8:30', 'UTC'. */
  offsetLabel: string;
};

/** The clock change that makes a local time non-existent or ambiguous. */
export type ClockChange = {
  /** UTC instant (ms) of the change. */
  atMs: number;
  /** Offset label before the change, e.g. 'UTC+9'. */
  offsetBefore: string;
  /** Offset label after the change, e.g. 'UTC+8:30'. */
  offsetAfter: string;
};

export type LocalToInstantResult =
  | {
      ok: true;
      /** UTC instant in milliseconds since the epoch. */
      instantMs: number;
      /** The zone's offset at that instant, e.g. 'UTC+9'. */
      offsetLabel: string;
    }
  | {
      ok: false;
      /** 'invalid': not 'YYYY-MM-DDTHH:mm' or not a calendar date; 'timeZone': not in TIME_ZONES. */
      reason: 'invalid' | 'timeZone';
      message: ReportMessageKey;
    }
  | {
      ok: false;
      /** The local time does not exist in the zone: clocks jumped over it. */
      reason: 'gap';
      message: ReportMessageKey;
      clockChange: ClockChange;
    }
  | {
      ok: false;
      /** The local time happened twice; the caller must pass `choice`. */
      reason: 'overlap';
      message: ReportMessageKey;
      clockChange: ClockChange;
      options: Record<TimeChoice, InstantOption>;
    };

const TIME_ZONE_SET: ReadonlySet<string> = new Set(TIME_ZONES);

/** True when `value` is one of the report form's IANA time zones (TIME_ZONES in db/schema.ts). */
export function isTimeZoneName(value: unknown): value is TimeZoneName {
  return typeof value === 'string' && TIME_ZONE_SET.has(value);
}

/**
 * Formats a UTC offset in nanoseconds as a partner reads it: 'UTC+9', 'UTC+8:30', 'UTC-3:30',
 * and plain 'UTC' for zero.
 */
function formatOffsetLabel(offsetNanoseconds: number): string {
  const totalMinutes = Math.round(offsetNanoseconds / 60_000_000_000);
  if (totalMinutes === 0) return 'UTC';
  const sign = totalMinutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(totalMinutes) / 60);
  const minutes = Math.abs(totalMinutes) % 60;
  return `UTC${sign}${hours}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

function toZoned(instantMs: number, timeZone: TimeZoneName): Temporal.ZonedDateTime {
  if (!Number.isFinite(instantMs)) throw new RangeError(`Not a finite UTC instant: ${instantMs}`);
  if (!isTimeZoneName(timeZone)) throw new RangeError(`Not a report time zone: ${String(timeZone)}`);
  return Temporal.Instant.fromEpochMilliseconds(instantMs).toZonedDateTimeISO(timeZone);
}

function clockChangeAfter(zoned: Temporal.ZonedDateTime): ClockChange {
  const change = zoned.getTimeZoneTransition('next');
  // Both callers start just before a transition they have just observed, so there is always one.
  if (!change) throw new Error('Expected a clock change after an ambiguous or skipped local time');
  return {
    atMs: change.epochMilliseconds,
    offsetBefore: formatOffsetLabel(zoned.offsetNanoseconds),
    offsetAfter: formatOffsetLabel(change.offsetNanoseconds),
  };
}

/**
 * Converts a local wall-clock date-time in an IANA time zone to a UTC instant, using the zone's
 * real offset on that date.
 *
 * @param localDateTime 'YYYY-MM-DDTHH:mm', the value of `<input type="datetime-local">`.
 * @param timeZone one of TIME_ZONES (checked at run time too: the value comes from a form).
 * @param choice for a local time that happened twice (overlap): 'earlier' = the first occurrence
 *   (before clocks went back), 'later' = the second. Ignored for times that are not ambiguous.
 *   Never turns a non-existent time (gap) into an instant.
 * @returns `{ ok: true, instantMs, offsetLabel }`, or a refusal with an i18n message key:
 *   'invalid' → report.errors.dateTimeInvalid, 'timeZone' → report.errors.timeZoneInvalid,
 *   'gap' → report.errors.timeInGap (with the clock change), 'overlap' without a choice →
 *   report.errors.timeAmbiguous (with both candidate instants and their offsets, for the form's
 *   radio buttons).
 */
export function localDateTimeToInstant({
  localDateTime,
  timeZone,
  choice,
}: {
  localDateTime: string;
  timeZone: string;
  choice?: TimeChoice | null;
}): LocalToInstantResult {
  const parts = parseLocalDateTime(localDateTime);
  if (!parts) return { ok: false, reason: 'invalid', message: reportMessage('dateTimeInvalid') };
  if (!isTimeZoneName(timeZone)) return { ok: false, reason: 'timeZone', message: reportMessage('timeZoneInvalid') };

  const local = Temporal.PlainDateTime.from(parts, { overflow: 'reject' });
  const earlier = local.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  const later = local.toZonedDateTime(timeZone, { disambiguation: 'later' });

  if (earlier.epochMilliseconds === later.epochMilliseconds) {
    return { ok: true, instantMs: earlier.epochMilliseconds, offsetLabel: formatOffsetLabel(earlier.offsetNanoseconds) };
  }

  // Two candidates: in an overlap both show the requested wall clock; in a gap neither does
  // (Temporal shifts a skipped time by the length of the gap).
  const isOverlap = earlier.toPlainDateTime().equals(local) && later.toPlainDateTime().equals(local);
  const clockChange = clockChangeAfter(earlier);
  if (!isOverlap) return { ok: false, reason: 'gap', message: reportMessage('timeInGap'), clockChange };

  const options: Record<TimeChoice, InstantOption> = {
    earlier: { instantMs: earlier.epochMilliseconds, offsetLabel: formatOffsetLabel(earlier.offsetNanoseconds) },
    later: { instantMs: later.epochMilliseconds, offsetLabel: formatOffsetLabel(later.offsetNanoseconds) },
  };
  if (choice === 'earlier' || choice === 'later') return { ok: true, ...options[choice] };
  return { ok: false, reason: 'overlap', message: reportMessage('timeAmbiguous'), clockChange, options };
}

/**
 * The wall-clock time of a UTC instant in a zone, as 'YYYY-MM-DDTHH:mm' — the value for
 * `<input type="datetime-local">` and for showing a time back in the zone it was entered in.
 * Seconds are dropped (report times are entered to the minute). Throws RangeError for a
 * non-finite instant or a zone outside TIME_ZONES.
 */
export function instantToLocalDateTime({ instantMs, timeZone }: { instantMs: number; timeZone: TimeZoneName }): string {
  const zoned = toZoned(instantMs, timeZone);
  return formatLocalDateTime(zoned);
}

/**
 * The zone's UTC offset at an instant as a partner reads it: 'UTC+9', 'UTC+8:30', or 'UTC' for
 * zero. Throws RangeError like {@link instantToLocalDateTime}.
 */
export function utcOffsetLabel({ instantMs, timeZone }: { instantMs: number; timeZone: TimeZoneName }): string {
  return formatOffsetLabel(toZoned(instantMs, timeZone).offsetNanoseconds);
}

/**
 * A UTC instant as local wall clock with its offset, e.g. '2018-07-12 19:30 (UTC+9)' — the
 * language-neutral form for report pages and editors (the offset tells apart the two 23:45s of
 * 2015-08-14 in Pyongyang). Throws RangeError like {@link instantToLocalDateTime}.
 */
export function formatInstantWithOffset({ instantMs, timeZone }: { instantMs: number; timeZone: TimeZoneName }): string {
  const zoned = toZoned(instantMs, timeZone);
  return `${formatLocalDateTime(zoned).replace('T', ' ')} (${formatOffsetLabel(zoned.offsetNanoseconds)})`;
}
