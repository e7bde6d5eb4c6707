/**
 * The sums behind the charts on /stats (docs/product.md "Publishing", issue 5): vehicles per week by
 * direction and by type, goods rows by category and direction, agencies named. Pure: the data
 * layer selects the observation rows of publications whose status is 'published' (retracted ones
 * are left out there) and passes them in; these functions only add up.
 */
import { DIRECTIONS, VEHICLE_TYPES, type Direction, type VehicleType } from '@/db/schema';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** A `published_vehicles` row as the statistics need it. `weekStart` is from `weekStartOf` (UTC ms). */
export type PublishedVehicleRow = {
  weekStart: number;
  vehicleType: VehicleType;
  direction: Direction;
  count: number;
};

/** A `published_goods` row as the statistics need it. */
export type PublishedGoodsRow = { categoryId: string; direction: Direction };

/** A `published_agencies` row with the publication it belongs to. `agencyId` null = an unlisted agency. */
export type PublishedAgencyRow = { publicationId: number; agencyId: string | null; name: string };

/**
 * Vehicle counts per week, split by one key (direction or vehicle type).
 * - `keys`: the keys that occur in the rows, in enum order (for the legend; stable colours);
 * - `weeks`: one entry per ISO week from the first to the last week with data, weeks without
 *   reports included with zeros so the time axis has no silent gaps. `weekOf` is the Monday's
 *   local date ('2018-07-09'); `counts` holds every enum key (0 when none);
 * - `total`: all vehicles counted.
 */
export type WeeklyVehicleSeries<K extends string> = {
  keys: K[];
  weeks: { weekOf: string; counts: Record<K, number>; total: number }[];
  total: number;
};

/**
 * Vehicles per week by direction (into / out of North Korea, within, unknown). Sums `count`
 * (estimates included, as reported). See `WeeklyVehicleSeries` for the shape. Throws a RangeError
 * if a `weekStart` is not a Monday 00:00 in a zone between UTC−12 and UTC+12 (see `weekOfStart`).
 */
export function sumVehiclesPerWeekByDirection(rows: readonly PublishedVehicleRow[]): WeeklyVehicleSeries<Direction> {
  return sumPerWeek(rows, DIRECTIONS, (row) => row.direction);
}

/** Vehicles per week by vehicle type (car, van, bus, truck, …). Same shape and errors as by direction. */
export function sumVehiclesPerWeekByType(rows: readonly PublishedVehicleRow[]): WeeklyVehicleSeries<VehicleType> {
  return sumPerWeek(rows, VEHICLE_TYPES, (row) => row.vehicleType);
}

function sumPerWeek<K extends string>(
  rows: readonly PublishedVehicleRow[],
  allKeys: readonly K[],
  keyOf: (row: PublishedVehicleRow) => K,
): WeeklyVehicleSeries<K> {
  const byWeek = new Map<number, Record<K, number>>();
  const seen = new Set<K>();
  let total = 0;
  for (const row of rows) {
    const monday = mondayUtcMidnight(row.weekStart);
    let counts = byWeek.get(monday);
    if (!counts) {
      counts = zeros(allKeys);
      byWeek.set(monday, counts);
    }
    const key = keyOf(row);
    counts[key] += row.count;
    seen.add(key);
    total += row.count;
  }
  if (byWeek.size === 0) return { keys: [], weeks: [], total: 0 };

  const mondays = [...byWeek.keys()];
  const first = Math.min(...mondays);
  const last = Math.max(...mondays);
  const weeks: WeeklyVehicleSeries<K>['weeks'] = [];
  for (let monday = first; monday <= last; monday += WEEK_MS) {
    const counts = byWeek.get(monday) ?? zeros(allKeys);
    weeks.push({ weekOf: isoDate(monday), counts, total: allKeys.reduce((sum, key) => sum + counts[key], 0) });
  }
  return { keys: allKeys.filter((key) => seen.has(key)), weeks, total };
}

/**
 * The Monday's local date of a `weekStart` as 'YYYY-MM-DD'. Reports in different zones have
 * different `weekStart` instants for the same calendar week (Pyongyang's Monday 00:00 is Sunday
 * 15:00 UTC); rounding to the nearest UTC midnight gives the local Monday for any zone strictly
 * between UTC−12 and UTC+12, which covers every zone in TIME_ZONES. Throws a RangeError if the
 * result is not a Monday (a `weekStart` not made by `weekStartOf`).
 */
export function weekOfStart(weekStart: number): string {
  return isoDate(mondayUtcMidnight(weekStart));
}

function mondayUtcMidnight(weekStart: number): number {
  const midnight = Math.round(weekStart / DAY_MS) * DAY_MS;
  if (!Number.isFinite(midnight) || new Date(midnight).getUTCDay() !== 1) {
    throw new RangeError(`weekStart ${weekStart} is not the start of an ISO week`);
  }
  return midnight;
}

function isoDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  const record = {} as Record<K, number>;
  for (const key of keys) record[key] = 0;
  return record;
}

/** Goods rows per category, split by direction. */
export type GoodsByCategory = {
  categories: { categoryId: string; counts: Record<Direction, number>; total: number }[];
  total: number;
};

/**
 * Number of published goods rows per goods category and direction (rows, not quantities: units
 * differ between rows). Categories are sorted by total, largest first, then by id; only
 * categories with rows appear. `total` is the number of rows.
 */
export function sumGoodsByCategoryAndDirection(rows: readonly PublishedGoodsRow[]): GoodsByCategory {
  const byCategory = new Map<string, Record<Direction, number>>();
  for (const row of rows) {
    let counts = byCategory.get(row.categoryId);
    if (!counts) {
      counts = zeros(DIRECTIONS);
      byCategory.set(row.categoryId, counts);
    }
    counts[row.direction] += 1;
  }
  const categories = [...byCategory].map(([categoryId, counts]) => ({
    categoryId,
    counts,
    total: DIRECTIONS.reduce((sum, direction) => sum + counts[direction], 0),
  }));
  categories.sort((a, b) => b.total - a.total || compareText(a.categoryId, b.categoryId));
  return { categories, total: rows.length };
}

/** How many publications name an agency. */
export type AgencyNamed = { agencyId: string | null; name: string; publications: number };

/**
 * Agencies named, as the number of publications naming each (an agency named twice in one
 * publication, e.g. as operator and as protection, counts once). Listed agencies are grouped by
 * `agencyId` and shown with the first name met; unlisted ones (`agencyId` null) by their name,
 * ignoring case and surrounding spaces; blank unlisted names are left out. Sorted by count,
 * largest first, then by name.
 */
export function countAgenciesNamed(rows: readonly PublishedAgencyRow[]): AgencyNamed[] {
  const groups = new Map<string, { agencyId: string | null; name: string; publicationIds: Set<number> }>();
  for (const row of rows) {
    const name = row.name.trim();
    if (row.agencyId === null && name === '') continue;
    const groupKey = row.agencyId !== null ? `id:${row.agencyId}` : `name:${name.toLocaleLowerCase()}`;
    let group = groups.get(groupKey);
    if (!group) {
      group = { agencyId: row.agencyId, name, publicationIds: new Set() };
      groups.set(groupKey, group);
    }
    group.publicationIds.add(row.publicationId);
  }
  const named = [...groups.values()].map(({ agencyId, name, publicationIds }) => ({
    agencyId,
    name,
    publications: publicationIds.size,
  }));
  named.sort((a, b) => b.publications - a.publications || compareText(a.name, b.name));
  return named;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
