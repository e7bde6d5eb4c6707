import 'server-only';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { getDb, preparedQueries, type Queryable } from '@/db/client';
import { agencies, goodsCategories, places, type Locale } from '@/db/schema';
import { matchesPlaceQuery } from './search';
import { timeZoneOfCountry } from './time-zone';
import type { TimeZoneName } from '@/db/enums';

/**
 * The managed reference lists as the report form offers them: the gazetteer (places), agencies
 * and goods categories. Only active entries (not retired, not merged into another) are offered
 * or accepted; names follow the reader's locale (Korean names in Korean, docs/product.md "Languages").
 */

/** One choice of a reference list, named for the reader's locale. */
export type ReferenceOption = {
  id: string;
  /** Name in the reader's locale. */
  name: string;
};

/**
 * One gazetteer entry for the report form: its name in the reader's locale, the name of the place
 * it lies in (null at the top level), both names and those of every place it lies in (parent,
 * grandparent, … in both languages) so the browser can filter by any of them, and the time zone
 * of its country (lib/places/time-zone.ts), which the form's time zone follows.
 */
export type PlaceOption = ReferenceOption & {
  parentName: string | null;
  nameEn: string;
  nameKo: string;
  ancestorNames: string[];
  timeZone: TimeZoneName;
};

function byName(locale: Locale) {
  const collator = new Intl.Collator(locale);
  return (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);
}

/**
 * Every active gazetteer place, sorted by its name in `locale`.
 * @returns options with `parentName` for context ("Hyesan — Yanggang Province").
 */
export function listPlaceOptions({ locale }: { locale: Locale }): PlaceOption[] {
  const rows = getDb()
    .select({ id: places.id, parentId: places.parentId, country: places.country, nameEn: places.nameEn, nameKo: places.nameKo })
    .from(places)
    .where(and(isNull(places.retiredAt), isNull(places.mergedInto)))
    .all();
  const nameOf = (row: { nameEn: string; nameKo: string }) => (locale === 'ko' ? row.nameKo : row.nameEn);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ancestorNamesOf = (row: (typeof rows)[number]) => {
    const names: string[] = [];
    // A cycle in hand-edited reference data must not hang the page: each place is visited once.
    const seen = new Set([row.id]);
    for (let parent = row.parentId ? byId.get(row.parentId) : undefined; parent && !seen.has(parent.id); parent = parent.parentId ? byId.get(parent.parentId) : undefined) {
      seen.add(parent.id);
      names.push(parent.nameEn, parent.nameKo);
    }
    return names;
  };
  return rows
    .map((row) => {
      const parent = row.parentId ? byId.get(row.parentId) : undefined;
      return {
        id: row.id,
        name: nameOf(row),
        parentName: parent ? nameOf(parent) : null,
        nameEn: row.nameEn,
        nameKo: row.nameKo,
        ancestorNames: ancestorNamesOf(row),
        timeZone: timeZoneOfCountry(row.country),
      };
    })
    .sort(byName(locale));
}

/**
 * Active places whose English or Korean name, or the name of a place they lie in, contains
 * `query`, NFC/NFD- and case-insensitively and in either Korean spelling of word-initial sounds
 * (see lib/places/search.ts). An empty query returns every active place. `%`, `_` and other
 * pattern characters are plain text here (matching is done in code, not with LIKE).
 */
export function searchPlaceOptions({ locale, query }: { locale: Locale; query: string }): PlaceOption[] {
  return listPlaceOptions({ locale }).filter((place) => matchesPlaceQuery(place, query));
}

/**
 * The time zone of an active place (from its country, lib/places/time-zone.ts), or null for an
 * unknown, retired or merged place id.
 */
export function placeTimeZone({ placeId }: { placeId: string }): TimeZoneName | null {
  const row = referenceLookups(getDb()).place.get({ id: placeId });
  return row ? timeZoneOfCountry(row.country) : null;
}

/** Every active agency, sorted by its name in `locale`. */
export function listAgencyOptions({ locale }: { locale: Locale }): ReferenceOption[] {
  return getDb()
    .select({ id: agencies.id, nameEn: agencies.nameEn, nameKo: agencies.nameKo })
    .from(agencies)
    .where(and(isNull(agencies.retiredAt), isNull(agencies.mergedInto)))
    .all()
    .map((row) => ({ id: row.id, name: locale === 'ko' ? row.nameKo : row.nameEn }))
    .sort(byName(locale));
}

/** Every active goods category, sorted by its name in `locale`. */
export function listGoodsCategoryOptions({ locale }: { locale: Locale }): ReferenceOption[] {
  return getDb()
    .select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, nameKo: goodsCategories.nameKo })
    .from(goodsCategories)
    .where(and(isNull(goodsCategories.retiredAt), isNull(goodsCategories.mergedInto)))
    .all()
    .map((row) => ({ id: row.id, name: locale === 'ko' ? row.nameKo : row.nameEn }))
    .sort(byName(locale));
}

/**
 * Names of any reference entries (active or not), for showing a stored report back: the place,
 * its parent, goods categories and agencies, in `locale`. Unknown ids are absent from the maps.
 */
export function referenceNames({
  locale,
  placeIds,
  categoryIds,
  agencyIds,
}: {
  locale: Locale;
  placeIds: string[];
  categoryIds: string[];
  agencyIds: string[];
}): { places: Map<string, { name: string; parentName: string | null }>; categories: Map<string, string>; agencies: Map<string, string> } {
  const db = getDb();
  const pick = (row: { nameEn: string; nameKo: string }) => (locale === 'ko' ? row.nameKo : row.nameEn);
  const placeRows =
    placeIds.length === 0
      ? []
      : db
          .select({ id: places.id, parentId: places.parentId, nameEn: places.nameEn, nameKo: places.nameKo })
          .from(places)
          .where(inArray(places.id, placeIds))
          .all();
  const parentIds = [...new Set(placeRows.map((p) => p.parentId).filter((id): id is string => id !== null))];
  const parents =
    parentIds.length === 0
      ? []
      : db.select({ id: places.id, nameEn: places.nameEn, nameKo: places.nameKo }).from(places).where(inArray(places.id, parentIds)).all();
  const parentNames = new Map(parents.map((p) => [p.id, pick(p)]));
  const categoryRows =
    categoryIds.length === 0
      ? []
      : db
          .select({ id: goodsCategories.id, nameEn: goodsCategories.nameEn, nameKo: goodsCategories.nameKo })
          .from(goodsCategories)
          .where(inArray(goodsCategories.id, categoryIds))
          .all();
  const agencyRows =
    agencyIds.length === 0
      ? []
      : db.select({ id: agencies.id, nameEn: agencies.nameEn, nameKo: agencies.nameKo }).from(agencies).where(inArray(agencies.id, agencyIds)).all();
  return {
    places: new Map(placeRows.map((p) => [p.id, { name: pick(p), parentName: p.parentId ? (parentNames.get(p.parentId) ?? null) : null }])),
    categories: new Map(categoryRows.map((c) => [c.id, pick(c)])),
    agencies: new Map(agencyRows.map((a) => [a.id, pick(a)])),
  };
}

/**
 * Which of the given reference ids a report may NOT use: unknown, retired or merged. Run inside
 * the report's write transaction (`tx`) so the answer holds when the report is written. One
 * prepared lookup per distinct id.
 * @returns the ids refused per list (empty arrays when all are usable).
 */
export function findUnusableReferences({
  tx,
  placeIds,
  categoryIds,
  agencyIds,
}: {
  tx: Queryable;
  placeIds: string[];
  categoryIds: string[];
  agencyIds: string[];
}): {
  placeIds: string[];
  categoryIds: string[];
  agencyIds: string[];
} {
  const lookups = referenceLookups(tx);
  const unusable = (ids: string[], lookup: { get: (values: { id: string }) => unknown }) => [...new Set(ids)].filter((id) => lookup.get({ id }) === undefined);
  return { placeIds: unusable(placeIds, lookups.place), categoryIds: unusable(categoryIds, lookups.category), agencyIds: unusable(agencyIds, lookups.agency) };
}

/**
 * The gazetteer's and reference lists' lookups on a report's write path, prepared once per
 * connection (issue 20, budget 1a: drizzle otherwise builds each query's SQL on every call).
 * Each answers a row only for an active entry: not retired, not merged.
 */
const referenceLookups = preparedQueries((db) => {
  const id = sql.placeholder('id');
  return {
    place: db
      .select({ id: places.id, country: places.country })
      .from(places)
      .where(and(eq(places.id, id), isNull(places.retiredAt), isNull(places.mergedInto)))
      .prepare(),
    category: db
      .select({ id: goodsCategories.id })
      .from(goodsCategories)
      .where(and(eq(goodsCategories.id, id), isNull(goodsCategories.retiredAt), isNull(goodsCategories.mergedInto)))
      .prepare(),
    agency: db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(eq(agencies.id, id), isNull(agencies.retiredAt), isNull(agencies.mergedInto)))
      .prepare(),
  };
});
