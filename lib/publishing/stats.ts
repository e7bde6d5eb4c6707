/**
 * The sums behind the charts on /stats (docs/product.md "Publishing", issue 5): vehicles per week by
 * direction and by type, goods quantities by category, unit and direction, agencies named. Pure: the data
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

/** A `published_goods` row as the goods statistics need it. */
export type PublishedGoodsRow = {
  publicationId: number;
  categoryId: string;
  direction: Direction;
  /** Null when the partner gave no quantity. */
  quantity: number | null;
  unit: string | null;
};

/**
 * Goods quantities of one category in one unit, by direction (issue 20 item 5: quantities are
 * summed within a unit, never across units, which differ between rows: t, kg, boxes, …).
 * `unit` null: rows without a quantity, counted in `rows` only (their `quantities` are 0).
 * `rows`: goods rows (observations); `reports`: publications with at least one of them.
 */
export type GoodsQuantityGroup = {
  categoryId: string;
  unit: string | null;
  quantities: Record<Direction, number>;
  total: number;
  rows: number;
  reports: number;
};

/** Goods by category and unit, and how many rows and reports they come from. */
export type GoodsByCategoryAndUnit = { groups: GoodsQuantityGroup[]; rows: number; reports: number };

/**
 * The unit a goods row is summed under: trimmed, ASCII letters lower-cased ('T ' and 't' are one
 * unit; '톤' stays its own: no conversion between units is attempted); '' when a quantity has no
 * unit; null when the row has no quantity. The SQL of public-queries.ts `computeStats` applies the
 * same rule (`lower(trim(unit))`, SQLite's lower() folds ASCII only).
 */
export function goodsUnitOf(row: Pick<PublishedGoodsRow, 'quantity' | 'unit'>): string | null {
  if (row.quantity === null) return null;
  return (row.unit ?? '').trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Sum goods quantities per category and unit, split by direction (see `GoodsQuantityGroup`).
 * Groups sort by category (the category with most rows first, then by id), then by rows, units
 * with quantities before the null group. `rows` and `reports` of the result: all rows and
 * distinct publications.
 */
export function sumGoodsQuantities(rows: readonly PublishedGoodsRow[]): GoodsByCategoryAndUnit {
  const groups = new Map<string, GoodsQuantityGroup & { publicationIds: Set<number> }>();
  for (const row of rows) {
    const unit = goodsUnitOf(row);
    const key = JSON.stringify([row.categoryId, unit]);
    let group = groups.get(key);
    if (!group) {
      group = { categoryId: row.categoryId, unit, quantities: zeros(DIRECTIONS), total: 0, rows: 0, reports: 0, publicationIds: new Set() };
      groups.set(key, group);
    }
    if (row.quantity !== null) {
      group.quantities[row.direction] += row.quantity;
      group.total += row.quantity;
    }
    group.rows += 1;
    group.publicationIds.add(row.publicationId);
  }
  const result = [...groups.values()].map(({ publicationIds, ...group }) => ({ ...group, reports: publicationIds.size }));
  return { groups: sortGoodsGroups(result), rows: rows.length, reports: new Set(rows.map((row) => row.publicationId)).size };
}

/** The order of `sumGoodsQuantities` (shared with the SQL path in public-queries.ts). */
export function sortGoodsGroups(groups: GoodsQuantityGroup[]): GoodsQuantityGroup[] {
  const rowsOfCategory = new Map<string, number>();
  for (const group of groups) rowsOfCategory.set(group.categoryId, (rowsOfCategory.get(group.categoryId) ?? 0) + group.rows);
  return [...groups].sort(
    (a, b) =>
      (rowsOfCategory.get(b.categoryId) ?? 0) - (rowsOfCategory.get(a.categoryId) ?? 0) ||
      compareText(a.categoryId, b.categoryId) ||
      Number(a.unit === null) - Number(b.unit === null) ||
      b.rows - a.rows ||
      compareText(a.unit ?? '', b.unit ?? ''),
  );
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
