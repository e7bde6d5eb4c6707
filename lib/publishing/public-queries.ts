import 'server-only';
import { and, desc, eq, exists, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import {
  agencies,
  DIRECTIONS,
  goodsCategories,
  places,
  publications,
  publishedAgencies,
  publishedGoods,
  publishedVehicles,
  type Direction,
  type VehicleType,
} from '@/db/schema';
import type { PublicPlace } from './coarsen';
import { EMPTY_FILTERS, filtersToQuery, type PublicCursor, type PublicFilters } from './filters';
import { memoizePublic } from './public-cache';
import { readStoredSnapshot, type PublicationSnapshot } from './snapshot';
import {
  sortGoodsGroups,
  sumVehiclesPerWeekByDirection,
  sumVehiclesPerWeekByType,
  type AgencyNamed,
  type GoodsByCategoryAndUnit,
  type GoodsQuantityGroup,
  type WeeklyVehicleSeries,
} from './stats';

/**
 * The public side of publishing: lists, a report page, statistics and the reference names the
 * public pages show. Reads only `publications` and the `published_*` tables (and the reference
 * lists for names) — never `reports` — and only publications with status 'published', except the
 * report page, which shows a retraction notice at a retracted publication's URL.
 */

/** A publication as lists, exports and the feed read it. */
export type PublishedItem = {
  publicId: string;
  publishedAt: number;
  snapshot: PublicationSnapshot;
};

/** One page of publications, newest first, and the cursor of the next page (null at the end). */
export type PublicationPage = { items: PublishedItem[]; nextCursor: PublicCursor | null };

/** Page size of /reports. */
export const LIST_PAGE_SIZE = 20;

/** Read a stored snapshot. Throws if it is not one (corrupt data is a bug, not user input). */
export function readSnapshot(value: unknown): PublicationSnapshot {
  return readStoredSnapshot(value);
}

/** Every gazetteer id at or below `placeId` (the place and the places under it), or [] if unknown. */
export function placeAndDescendants(gazetteer: readonly { id: string; parentId: string | null }[], placeId: string): string[] {
  if (!gazetteer.some((place) => place.id === placeId)) return [];
  const found = new Set([placeId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const place of gazetteer) {
      if (place.parentId !== null && found.has(place.parentId) && !found.has(place.id)) {
        found.add(place.id);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * The SQL conditions on `publications` for `filters` (status published included), or null when a
 * filter can match nothing (an unknown place). Shared by the lists, statistics and the map.
 */
export function filterConditions(filters: PublicFilters): SQL[] | null {
  const db = getDb();
  const conditions: SQL[] = [eq(publications.status, 'published')];
  if (filters.place !== null) {
    const gazetteer = db.select({ id: places.id, parentId: places.parentId }).from(places).all();
    const ids = placeAndDescendants(gazetteer, filters.place);
    if (ids.length === 0) return null;
    conditions.push(inArray(publications.placeId, ids));
  }
  if (filters.from) conditions.push(gt(publications.periodEnd, new Date(filters.from.start)));
  if (filters.to) conditions.push(lt(publications.periodStart, new Date(filters.to.end)));
  if (filters.vehicle) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(publishedVehicles)
          .where(and(eq(publishedVehicles.publicationId, publications.id), eq(publishedVehicles.vehicleType, filters.vehicle))),
      ),
    );
  }
  if (filters.category !== null) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(publishedGoods)
          .where(and(eq(publishedGoods.publicationId, publications.id), eq(publishedGoods.categoryId, filters.category))),
      ),
    );
  }
  if (filters.agency !== null) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(publishedAgencies)
          .where(and(eq(publishedAgencies.publicationId, publications.id), eq(publishedAgencies.agencyId, filters.agency))),
      ),
    );
  }
  if (filters.cursor) {
    const at = new Date(filters.cursor.publishedAt);
    // A range on published_at first, so SQLite starts the index walk at the cursor (deep pages
    // cost the same as the first), then the tie-break on public_id.
    conditions.push(
      lte(publications.publishedAt, at),
      or(lt(publications.publishedAt, at), lt(publications.publicId, filters.cursor.publicId))!,
    );
  }
  return conditions;
}

/**
 * The public filters (filters.ts; the cursor ignored) as one SQL condition on `publications`,
 * status 'published' included — for other rooms' aggregates over the same selection as /reports
 * and /stats (lib/official/public.ts). Null when nothing can match (an unknown place).
 */
export function publicationSelection(filters: PublicFilters): SQL | null {
  const conditions = filterConditions({ ...filters, cursor: null });
  return conditions ? and(...conditions)! : null;
}

/**
 * One page of published reports matching `filters` (see filters.ts), newest publication first,
 * at most `limit` (1–1,000) items. Keyset pagination on (publishedAt, publicId): every page costs
 * the same however deep it is (index publications_status_published). Unknown reference ids give
 * an empty page.
 */
export function listPublications({ filters, limit = LIST_PAGE_SIZE }: { filters: PublicFilters; limit?: number }): PublicationPage {
  const size = Math.min(Math.max(Math.trunc(limit), 1), 1000);
  const conditions = filterConditions(filters);
  if (!conditions) return { items: [], nextCursor: null };
  const rows = getDb()
    .select({ publicId: publications.publicId, publishedAt: publications.publishedAt, snapshot: publications.snapshot })
    .from(publications)
    .where(and(...conditions))
    .orderBy(desc(publications.publishedAt), desc(publications.publicId))
    .limit(size + 1)
    .all();
  const items = rows.slice(0, size).map((row) => ({
    publicId: row.publicId,
    publishedAt: row.publishedAt.getTime(),
    snapshot: readSnapshot(row.snapshot),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > size && last ? { publishedAt: last.publishedAt, publicId: last.publicId } : null };
}

/** A retracted publication as the feed shows it: its public id, when and why — none of its data. */
export type RetractionNotice = { publicId: string; retractedAt: number; reason: string };

/**
 * The latest `limit` (1–1,000) retractions, newest first: what the feed needs to update an entry
 * readers already hold with the notice (docs/product.md "Publishing"; RFC 4287 §4.1.2: the same
 * `atom:id`, a later `atom:updated`). Nothing of the retracted snapshot is read.
 */
export function listRetractions({ limit }: { limit: number }): RetractionNotice[] {
  const size = Math.min(Math.max(Math.trunc(limit), 1), 1000);
  return getDb()
    .select({
      publicId: publications.publicId,
      publishedAt: publications.publishedAt,
      retractedAt: publications.retractedAt,
      reason: publications.retractionReason,
    })
    .from(publications)
    .where(eq(publications.status, 'retracted'))
    .orderBy(desc(publications.retractedAt), desc(publications.publicId))
    .limit(size)
    .all()
    .map((row) => ({ publicId: row.publicId, retractedAt: row.retractedAt?.getTime() ?? row.publishedAt.getTime(), reason: row.reason ?? '' }));
}

/** The public page of one publication: its snapshot, or only the retraction notice. */
export type PublicReport =
  | { status: 'published'; publicId: string; publishedAt: number; snapshot: PublicationSnapshot }
  | { status: 'retracted'; publicId: string; retractedAt: number; reason: string };

/**
 * The publication at `/reports/<publicId>` (any value: junk gives null → 404). A retracted one
 * gives only its retraction date and reason — none of its data.
 */
export function getPublicReport({ publicId }: { publicId: unknown }): PublicReport | null {
  if (typeof publicId !== 'string' || !/^[A-Za-z0-9_-]{16}$/.test(publicId)) return null;
  const row = getDb()
    .select({
      status: publications.status,
      publishedAt: publications.publishedAt,
      snapshot: publications.snapshot,
      retractedAt: publications.retractedAt,
      retractionReason: publications.retractionReason,
    })
    .from(publications)
    .where(eq(publications.publicId, publicId))
    .get();
  if (!row) return null;
  if (row.status === 'retracted') {
    return {
      status: 'retracted',
      publicId,
      retractedAt: row.retractedAt?.getTime() ?? row.publishedAt.getTime(),
      reason: row.retractionReason ?? '',
    };
  }
  return { status: 'published', publicId, publishedAt: row.publishedAt.getTime(), snapshot: readSnapshot(row.snapshot) };
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/** How many weeks the weekly charts show at most (the latest ones with data). */
export const STATS_MAX_WEEKS = 104;

/** Observation rows of one kind and the reports (publications) they come from. */
export type ObservationCount = { rows: number; reports: number };

/** Everything /stats shows. Sums over published publications matching the filters only. */
export type PublicStats = {
  publications: number;
  /** Vehicle sightings, goods rows and agency rows, each with the number of reports holding one. */
  observations: { vehicles: ObservationCount; goods: ObservationCount; agencies: ObservationCount };
  vehiclesByDirection: WeeklyVehicleSeries<Direction>;
  vehiclesByType: WeeklyVehicleSeries<VehicleType>;
  /** Weeks with a sighting left out of the weekly series above (older than the latest STATS_MAX_WEEKS). */
  weeksOmitted: number;
  goods: GoodsByCategoryAndUnit;
  agencies: AgencyNamed[];
};

/**
 * The latest STATS_MAX_WEEKS weeks of a series, starting at the first of them with a sighting: a
 * window whose early weeks are all empty (one old report, then months of nothing) would draw the
 * recent weeks squeezed into a corner of the chart.
 */
export function lastWeeks<K extends string>(series: WeeklyVehicleSeries<K>): WeeklyVehicleSeries<K> {
  const window = series.weeks.slice(-STATS_MAX_WEEKS);
  const firstSeen = window.findIndex((week) => week.total > 0);
  const weeks = firstSeen < 0 ? [] : window.slice(firstSeen);
  if (weeks.length === series.weeks.length) return series;
  return { keys: series.keys, weeks, total: weeks.reduce((sum, week) => sum + week.total, 0) };
}

/** Weeks with a sighting older than lastWeeks' window: they are in the CSV export, not on /stats. */
export function weeksWithSightingsBefore<K extends string>(series: WeeklyVehicleSeries<K>): number {
  return series.weeks.slice(0, Math.max(0, series.weeks.length - STATS_MAX_WEEKS)).filter((week) => week.total > 0).length;
}

/** Statistics of nothing (refused or unmatched filters). */
export const EMPTY_STATS: PublicStats = {
  publications: 0,
  observations: { vehicles: { rows: 0, reports: 0 }, goods: { rows: 0, reports: 0 }, agencies: { rows: 0, reports: 0 } },
  vehiclesByDirection: { keys: [], weeks: [], total: 0 },
  vehiclesByType: { keys: [], weeks: [], total: 0 },
  weeksOmitted: 0,
  goods: { groups: [], rows: 0, reports: 0 },
  agencies: [],
};

function computeStats(filters: PublicFilters): PublicStats {
  const db = getDb();
  const conditions = filterConditions({ ...filters, cursor: null });
  if (!conditions) return EMPTY_STATS;
  const isSelected = and(...conditions);
  // Grouped in SQL (rows per week × type × direction, not per observation), summed by stats.ts.
  const vehicleGroups = db
    .select({
      weekStart: publishedVehicles.weekStart,
      vehicleType: publishedVehicles.vehicleType,
      direction: publishedVehicles.direction,
      count: sql<number>`sum(${publishedVehicles.count})`,
    })
    .from(publishedVehicles)
    .innerJoin(publications, eq(publications.id, publishedVehicles.publicationId))
    .where(isSelected)
    .groupBy(publishedVehicles.weekStart, publishedVehicles.vehicleType, publishedVehicles.direction)
    .all()
    .map((row) => ({ ...row, weekStart: row.weekStart.getTime(), count: Number(row.count) }));

  // Goods quantities per category, unit and direction (stats.ts goodsUnitOf: the same unit rule),
  // then rows and distinct reports per category and unit (a report can span directions).
  const goodsUnit = sql<string | null>`case when ${publishedGoods.quantity} is null then null else lower(trim(coalesce(${publishedGoods.unit}, ''))) end`;
  const goodsSums = db
    .select({
      categoryId: publishedGoods.categoryId,
      unit: goodsUnit,
      direction: publishedGoods.direction,
      quantity: sql<number>`coalesce(sum(${publishedGoods.quantity}), 0)`,
    })
    .from(publishedGoods)
    .innerJoin(publications, eq(publications.id, publishedGoods.publicationId))
    .where(isSelected)
    .groupBy(publishedGoods.categoryId, goodsUnit, publishedGoods.direction)
    .all();
  const goodsCounts = db
    .select({
      categoryId: publishedGoods.categoryId,
      unit: goodsUnit,
      rows: sql<number>`count(*)`,
      reports: sql<number>`count(distinct ${publishedGoods.publicationId})`,
    })
    .from(publishedGoods)
    .innerJoin(publications, eq(publications.id, publishedGoods.publicationId))
    .where(isSelected)
    .groupBy(publishedGoods.categoryId, goodsUnit)
    .all();

  // One row per (publication, agency) so an agency named twice in a report counts once.
  const agencyKey = sql<string>`coalesce(${publishedAgencies.agencyId}, lower(trim(${publishedAgencies.name})))`;
  const agencyGroups = db
    .select({
      agencyId: publishedAgencies.agencyId,
      name: sql<string>`min(${publishedAgencies.name})`,
      publications: sql<number>`count(distinct ${publishedAgencies.publicationId})`,
    })
    .from(publishedAgencies)
    .innerJoin(publications, eq(publications.id, publishedAgencies.publicationId))
    .where(isSelected)
    .groupBy(publishedAgencies.agencyId, agencyKey)
    .all();

  const publicationCount = db.select({ n: sql<number>`count(*)` }).from(publications).where(isSelected).get()?.n ?? 0;
  const countOf = (table: typeof publishedVehicles | typeof publishedGoods | typeof publishedAgencies): ObservationCount => {
    const row = db
      .select({ rows: sql<number>`count(*)`, reports: sql<number>`count(distinct ${table.publicationId})` })
      .from(table)
      .innerJoin(publications, eq(publications.id, table.publicationId))
      .where(isSelected)
      .get();
    return { rows: Number(row?.rows ?? 0), reports: Number(row?.reports ?? 0) };
  };

  const byDirection = sumVehiclesPerWeekByDirection(vehicleGroups);
  const goodsCount = countOf(publishedGoods);
  const goods = { ...goodsFromGroups(goodsSums, goodsCounts), reports: goodsCount.reports };
  return {
    publications: Number(publicationCount),
    observations: { vehicles: countOf(publishedVehicles), goods: goodsCount, agencies: countOf(publishedAgencies) },
    vehiclesByDirection: lastWeeks(byDirection),
    vehiclesByType: lastWeeks(sumVehiclesPerWeekByType(vehicleGroups)),
    weeksOmitted: weeksWithSightingsBefore(byDirection),
    goods,
    agencies: agenciesFromGroups(agencyGroups),
  };
}

/**
 * Goods quantities per category and unit from SQL groups — the same shape and order as stats.ts
 * `sumGoodsQuantities` (which adds up ungrouped rows): `sums` per category, unit and direction;
 * `counts` (rows, distinct reports) per category and unit. The result's `reports` (distinct across
 * groups) cannot be made from the groups: it is the largest group's here, a lower bound the caller
 * replaces with its own count.
 */
export function goodsFromGroups(
  sums: readonly { categoryId: string; unit: string | null; direction: Direction; quantity: number }[],
  counts: readonly { categoryId: string; unit: string | null; rows: number; reports: number }[],
): GoodsByCategoryAndUnit {
  const key = (categoryId: string, unit: string | null) => JSON.stringify([categoryId, unit]);
  const groups = new Map<string, GoodsQuantityGroup>();
  for (const count of counts) {
    groups.set(key(count.categoryId, count.unit), {
      categoryId: count.categoryId,
      unit: count.unit,
      quantities: Object.fromEntries(DIRECTIONS.map((d) => [d, 0])) as Record<Direction, number>,
      total: 0,
      rows: Number(count.rows),
      reports: Number(count.reports),
    });
  }
  for (const sum of sums) {
    const group = groups.get(key(sum.categoryId, sum.unit));
    if (!group || sum.unit === null) continue;
    group.quantities[sum.direction] += Number(sum.quantity);
    group.total += Number(sum.quantity);
  }
  const list = [...groups.values()];
  return {
    groups: sortGoodsGroups(list),
    rows: list.reduce((n, group) => n + group.rows, 0),
    reports: list.reduce((n, group) => Math.max(n, group.reports), 0),
  };
}

/**
 * Agencies named from SQL groups (one per listed agency, one per unlisted name ignoring ASCII
 * case and surrounding spaces) — the same rules and order as stats.ts `countAgenciesNamed`:
 * blank unlisted names are left out; groups whose names differ only in non-ASCII case are merged
 * here (their counts added); sorted by publications, largest first, then by name.
 */
export function agenciesFromGroups(groups: readonly { agencyId: string | null; name: string; publications: number }[]): AgencyNamed[] {
  const merged = new Map<string, AgencyNamed>();
  for (const group of groups) {
    const name = group.name.trim();
    if (group.agencyId === null && name === '') continue;
    const key = group.agencyId !== null ? `id:${group.agencyId}` : `name:${name.toLocaleLowerCase()}`;
    const found = merged.get(key);
    if (found) found.publications += Number(group.publications);
    else merged.set(key, { agencyId: group.agencyId, name, publications: Number(group.publications) });
  }
  return [...merged.values()].sort(
    (a, b) => b.publications - a.publications || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * The statistics behind /stats, over publications with status 'published' matching `filters`
 * (the /reports filters, filters.ts; the cursor is ignored; default none): vehicles per week by
 * direction and by type (the latest STATS_MAX_WEEKS weeks with data), goods quantities per
 * category, unit and direction, agencies by the number of publications naming them, and the
 * observation rows of each kind beside the reports they come from. Computed with SQL aggregates;
 * the unfiltered figures are memoized until the next publication, retraction or outside write
 * (see public-cache.ts), so their cost does not grow with the number of publications. Filtered
 * ones are computed per call: a memo per query string would let anyone grow the process's memory.
 */
export function getPublicStats({ filters = EMPTY_FILTERS }: { filters?: PublicFilters } = {}): PublicStats {
  const selection = { ...filters, cursor: null };
  if (filtersToQuery(selection) === '') return memoizePublic('stats', () => computeStats(selection));
  return computeStats(selection);
}

// ---------------------------------------------------------------------------------------------
// Reference names and filter options
// ---------------------------------------------------------------------------------------------

/** A reference-list entry as public pages name it. */
export type NamedOption = { id: string; nameEn: string; nameKo: string };

/** A gazetteer place for the place filter, with its depth under its province (0 = top level). */
export type PlaceOption = NamedOption & { depth: number; country: PublicPlace['country'] };

/**
 * The options of the public filters: gazetteer places in tree order (each place followed by the
 * places under it), goods categories and agencies — retired and merged entries left out.
 */
export function listFilterOptions(): { places: PlaceOption[]; categories: NamedOption[]; agencies: NamedOption[] } {
  const db = getDb();
  const allPlaces = db
    .select({
      id: places.id,
      parentId: places.parentId,
      nameEn: places.nameEn,
      nameKo: places.nameKo,
      country: places.country,
      retiredAt: places.retiredAt,
    })
    .from(places)
    .all()
    .filter((place) => place.retiredAt === null);
  const ids = new Set(allPlaces.map((p) => p.id));
  const children = new Map<string | null, typeof allPlaces>();
  for (const place of allPlaces) {
    const parent = place.parentId !== null && ids.has(place.parentId) ? place.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(place);
    children.set(parent, list);
  }
  const ordered: PlaceOption[] = [];
  const visit = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.country.localeCompare(b.country) * -1 || a.nameEn.localeCompare(b.nameEn),
    );
    for (const place of list) {
      if (ordered.some((o) => o.id === place.id)) continue;
      ordered.push({ id: place.id, nameEn: place.nameEn, nameKo: place.nameKo, depth, country: place.country });
      visit(place.id, depth + 1);
    }
  };
  visit(null, 0);
  const categories = db
    .select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, nameKo: goodsCategories.nameKo, retiredAt: goodsCategories.retiredAt })
    .from(goodsCategories)
    .all()
    .filter((c) => c.retiredAt === null)
    .map(({ id, nameEn, nameKo }) => ({ id, nameEn, nameKo }));
  const agencyList = db
    .select({ id: agencies.id, nameEn: agencies.nameEn, nameKo: agencies.nameKo, retiredAt: agencies.retiredAt })
    .from(agencies)
    .all()
    .filter((a) => a.retiredAt === null)
    .map(({ id, nameEn, nameKo }) => ({ id, nameEn, nameKo }));
  return { places: ordered, categories: categories, agencies: agencyList };
}

/**
 * Current names of goods categories and agencies by id (for the statistics, whose rows carry ids;
 * retired entries included, since old publications still name them).
 */
export function listReferenceNames(): { categories: Map<string, NamedOption>; agencies: Map<string, NamedOption> } {
  const db = getDb();
  const categories = db.select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, nameKo: goodsCategories.nameKo }).from(goodsCategories).all();
  const agencyList = db.select({ id: agencies.id, nameEn: agencies.nameEn, nameKo: agencies.nameKo }).from(agencies).all();
  return {
    categories: new Map(categories.map((c) => [c.id, c])),
    agencies: new Map(agencyList.map((a) => [a.id, a])),
  };
}

// ---------------------------------------------------------------------------------------------
// Last change (the Last-Modified of public output; issue 20 item 2)
// ---------------------------------------------------------------------------------------------

/**
 * When the public data last changed, UTC ms: the latest publication, republication (both set
 * `published_at`) or retraction (`retracted_at`) of any report; 0 when nothing was ever published.
 * The `Last-Modified` of lists, statistics, exports and the feed (lib/http/public-answer.ts). A
 * publication that only left the statistics through another change still moves one of the two
 * columns, so the value never goes back. Memoised per state of the public data.
 */
export function lastPublicChangeAt(): number {
  return memoizePublic('lastPublicChangeAt', () => {
    const row = getDb()
      .select({ published: sql<number | null>`max(${publications.publishedAt})`, retracted: sql<number | null>`max(${publications.retractedAt})` })
      .from(publications)
      .get();
    return Math.max(Number(row?.published ?? 0), Number(row?.retracted ?? 0));
  });
}
