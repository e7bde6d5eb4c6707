/**
 * Coarsening for publication: what the public sees of a report's place and time, and the generic
 * attribution line. Pure (no database, no clock), so the publish preview, the data layer and the
 * tests all use the same rules. Source: docs/product.md "Publishing", issue 5.
 *
 * The rule throughout: never finer than the editor asked. Where the gazetteer has no place at the
 * asked level, the result is coarser (in the end, the country), never finer.
 */
import { Temporal } from 'temporal-polyfill';
import type { PLACE_COARSENINGS, PLACE_KINDS, Place, TIME_COARSENINGS } from '@/db/schema';

export type PlaceCoarsening = (typeof PLACE_COARSENINGS)[number];
export type TimeCoarsening = (typeof TIME_COARSENINGS)[number];
export type PlaceKind = (typeof PLACE_KINDS)[number];
export type Country = Place['country'];

/** Default place coarsening when the editor changes nothing (docs/product.md: province). */
export const DEFAULT_PLACE_COARSENING: PlaceCoarsening = 'province';
/** Default time coarsening when the editor changes nothing (docs/product.md: day). */
export const DEFAULT_TIME_COARSENING: TimeCoarsening = 'day';

// ---------------------------------------------------------------------------------------------
// Place
// ---------------------------------------------------------------------------------------------

/** The gazetteer fields coarsening needs (a `places` row has them all). */
export type GazetteerPlace = Pick<Place, 'id' | 'kind' | 'country' | 'parentId' | 'nameEn' | 'nameKo'>;

/**
 * A place as the public sees it. `id` is the gazetteer id of the place shown (for public filters),
 * or null when only the country is shown; `kind` is the gazetteer kind, or 'country'.
 */
export type PublicPlace = {
  id: string | null;
  kind: PlaceKind | 'country';
  country: Country;
  nameEn: string;
  nameKo: string;
};

/** Country names as the public site shows them. */
export const COUNTRY_NAMES: Record<Country, { nameEn: string; nameKo: string }> = {
  KP: { nameEn: 'North Korea', nameKo: '북한' },
  CN: { nameEn: 'China', nameKo: '중국' },
};

/** Gazetteer kinds acceptable at each coarsening level, nearest level first. */
const KINDS_AT_LEVEL: Record<Exclude<PlaceCoarsening, 'as_entered' | 'country'>, readonly PlaceKind[][]> = {
  county_or_city: [['county', 'city'], ['province']],
  province: [['province']],
};

/**
 * The public place for a report's gazetteer place at the editor's chosen coarsening.
 *
 * Walks up `parentId` from `placeId`:
 * - `as_entered` — the place itself (a crossing stays the crossing). The partner's free-text place
 *   detail is never part of it.
 * - `county_or_city` — the nearest county or city at or above the place (a crossing under Hyesan →
 *   Hyesan); if there is none, the nearest province; if none, the country.
 * - `province` (default) — the nearest province at or above the place; if there is none, the
 *   country. So a river (river-amrok, no parent) and a city without a province in the gazetteer
 *   (kp-pyongyang, kp-nampo: parent null) are shown as "North Korea": the safe fallback is always
 *   coarser, never the finer place itself.
 * - `country` — "North Korea" / "China" (COUNTRY_NAMES), id null.
 *
 * A parent id that is missing from the gazetteer, or a cycle of parents, ends the walk there (so
 * the result can only get coarser). Throws a RangeError if `placeId` is not in the gazetteer — a
 * report's place is a foreign key, so that is a bug, not user input.
 */
export function coarsenPlace({
  gazetteer,
  placeId,
  choice = DEFAULT_PLACE_COARSENING,
}: {
  gazetteer: readonly GazetteerPlace[];
  placeId: string;
  choice?: PlaceCoarsening;
}): PublicPlace {
  const byId = new Map(gazetteer.map((place) => [place.id, place]));
  const entered = byId.get(placeId);
  if (!entered) throw new RangeError(`Place ${placeId} is not in the gazetteer`);

  const chain: GazetteerPlace[] = [];
  for (let place: GazetteerPlace | undefined = entered; place && !chain.includes(place); ) {
    chain.push(place);
    place = place.parentId === null ? undefined : byId.get(place.parentId);
  }

  if (choice === 'as_entered') return toPublicPlace(entered);
  if (choice !== 'country') {
    for (const kinds of KINDS_AT_LEVEL[choice]) {
      const found = chain.find((place) => kinds.includes(place.kind));
      if (found) return toPublicPlace(found);
    }
  }
  return { id: null, kind: 'country', country: entered.country, ...COUNTRY_NAMES[entered.country] };
}

function toPublicPlace(place: GazetteerPlace): PublicPlace {
  return { id: place.id, kind: place.kind, country: place.country, nameEn: place.nameEn, nameKo: place.nameKo };
}

/**
 * The generic attribution line for a publication, in English and Korean, e.g.
 * `{ en: 'a reporting partner in Yanggang Province', ko: '량강도의 한 취재 협력자' }`.
 * Rivers and crossings read "near …" / "… 인근의". Never names the partner.
 */
export function attributionFor(place: PublicPlace): { en: string; ko: string } {
  const isNear = place.kind === 'river' || place.kind === 'crossing';
  return {
    en: `a reporting partner ${isNear ? 'near' : 'in'} ${place.nameEn}`,
    ko: `${place.nameKo}${isNear ? ' 인근' : ''}의 한 취재 협력자`,
  };
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

/**
 * A public period: `[start, end)` in UTC ms (end exclusive), boundaries on the local clock of the
 * report's zone, with display labels in English and Korean.
 */
export type PublicPeriod = {
  start: number;
  end: number;
  choice: TimeCoarsening;
  label: { en: string; ko: string };
};

const MONTHS_EN = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/**
 * The public period covering a report's observed window at the chosen coarsening.
 *
 * `observedFrom` / `observedTo` are UTC ms; `timeZone` is the report's IANA zone (the zone the
 * partner entered the times in). Units are cut on that zone's local clock with its offset on the
 * date (so Asia/Pyongyang's UTC+8:30 from 2015-08-15 to 2018-05-04 is honoured):
 * - `hour` — whole local hours; label `2018-07-12 21:00–23:00 (Asia/Pyongyang)`;
 * - `day` (default) — local days from 00:00; label `2018-07-12`, or `2018-07-12 to 2018-07-13`;
 * - `week` — ISO weeks, Monday 00:00 local; label `week of 2018-07-09`, or
 *   `weeks of 2018-07-02 to 2018-07-09`;
 * - `month` — local calendar months; label `July 2018`, `June to July 2018`,
 *   `December 2017 to January 2018`.
 * Korean labels use `~` for ranges, `2018-07-09 주간` and `2018년 7월`.
 *
 * The window is read as `[observedFrom, observedTo)`: a window ending exactly at midnight does not
 * reach into the next day (a zero-length window covers the unit of its instant). The result always
 * contains the whole window and is a whole number of units.
 *
 * Throws a RangeError for non-finite instants, `observedTo < observedFrom`, or an unknown zone
 * (report validation already refuses these, so they are bugs).
 */
export function coarsenTime({
  observedFrom,
  observedTo,
  timeZone,
  choice = DEFAULT_TIME_COARSENING,
}: {
  observedFrom: number;
  observedTo: number;
  timeZone: string;
  choice?: TimeCoarsening;
}): PublicPeriod {
  if (!Number.isFinite(observedFrom) || !Number.isFinite(observedTo)) {
    throw new RangeError('Observed times must be finite UTC milliseconds');
  }
  if (observedTo < observedFrom) throw new RangeError('observedTo is before observedFrom');

  const lastInstant = observedTo > observedFrom ? observedTo - 1 : observedFrom;
  const firstUnit = unitStartWallClock(toWallClock(observedFrom, timeZone), choice);
  const lastUnit = unitStartWallClock(toWallClock(lastInstant, timeZone), choice);
  const endWall = addUnit(lastUnit, choice);

  return {
    start: toEpochMs(firstUnit, timeZone),
    end: toEpochMs(endWall, timeZone),
    choice,
    label: periodLabel(firstUnit, lastUnit, endWall, choice, timeZone),
  };
}

/**
 * Monday 00:00 on the local clock of `timeZone` (IANA) of the ISO week containing `instant`, as UTC
 * ms — the `weekStart` of published vehicle rows. Example: 2018-07-09 01:00 in Asia/Pyongyang
 * (a Monday) → 2018-07-09 00:00 Pyongyang = 2018-07-08T15:00Z. Throws a RangeError for an unknown
 * zone or a non-finite instant.
 */
export function weekStartOf(instant: number, timeZone: string): number {
  if (!Number.isFinite(instant)) throw new RangeError('instant must be finite UTC milliseconds');
  return toEpochMs(unitStartWallClock(toWallClock(instant, timeZone), 'week'), timeZone);
}

function toWallClock(epochMs: number, timeZone: string): Temporal.PlainDateTime {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDateTime();
}

/**
 * A local wall-clock time back to UTC ms. A unit start that falls in a gap (clocks moved forward)
 * resolves to the first instant after it, and one that occurs twice (clocks moved back) to the
 * first occurrence — Temporal's 'compatible' rule, the same as `startOfDay()`.
 */
function toEpochMs(wall: Temporal.PlainDateTime, timeZone: string): number {
  return wall.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
}

function unitStartWallClock(wall: Temporal.PlainDateTime, choice: TimeCoarsening): Temporal.PlainDateTime {
  switch (choice) {
    case 'hour':
      return wall.round({ smallestUnit: 'hour', roundingMode: 'floor' });
    case 'day':
      return wall.toPlainDate().toPlainDateTime();
    case 'week':
      return wall.toPlainDate().subtract({ days: wall.dayOfWeek - 1 }).toPlainDateTime();
    case 'month':
      return wall.toPlainDate().with({ day: 1 }).toPlainDateTime();
  }
}

function addUnit(unitStart: Temporal.PlainDateTime, choice: TimeCoarsening): Temporal.PlainDateTime {
  switch (choice) {
    case 'hour':
      return unitStart.add({ hours: 1 });
    case 'day':
      return unitStart.add({ days: 1 });
    case 'week':
      return unitStart.add({ weeks: 1 });
    case 'month':
      return unitStart.add({ months: 1 });
  }
}

function periodLabel(
  first: Temporal.PlainDateTime,
  last: Temporal.PlainDateTime,
  end: Temporal.PlainDateTime,
  choice: TimeCoarsening,
  timeZone: string,
): { en: string; ko: string } {
  const date = (wall: Temporal.PlainDateTime) => wall.toPlainDate().toString();
  const isOneUnit = Temporal.PlainDateTime.compare(first, last) === 0;
  switch (choice) {
    case 'hour': {
      const hour = (wall: Temporal.PlainDateTime) => `${String(wall.hour).padStart(2, '0')}:00`;
      const zone = ` (${timeZone})`;
      if (date(first) === date(end)) {
        const text = `${date(first)} ${hour(first)}–${hour(end)}${zone}`;
        return { en: text, ko: text };
      }
      return {
        en: `${date(first)} ${hour(first)} to ${date(end)} ${hour(end)}${zone}`,
        ko: `${date(first)} ${hour(first)} ~ ${date(end)} ${hour(end)}${zone}`,
      };
    }
    case 'day':
      return isOneUnit
        ? { en: date(first), ko: date(first) }
        : { en: `${date(first)} to ${date(last)}`, ko: `${date(first)} ~ ${date(last)}` };
    case 'week':
      return isOneUnit
        ? { en: `week of ${date(first)}`, ko: `${date(first)} 주간` }
        : { en: `weeks of ${date(first)} to ${date(last)}`, ko: `${date(first)} 주간 ~ ${date(last)} 주간` };
    case 'month': {
      const monthEn = (wall: Temporal.PlainDateTime) => MONTHS_EN[wall.month - 1] ?? String(wall.month);
      const monthKo = (wall: Temporal.PlainDateTime) => `${wall.year}년 ${wall.month}월`;
      if (isOneUnit) return { en: `${monthEn(first)} ${first.year}`, ko: monthKo(first) };
      const en =
        first.year === last.year
          ? `${monthEn(first)} to ${monthEn(last)} ${last.year}`
          : `${monthEn(first)} ${first.year} to ${monthEn(last)} ${last.year}`;
      return { en, ko: `${monthKo(first)} ~ ${monthKo(last)}` };
    }
  }
}
