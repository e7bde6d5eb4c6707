import 'server-only';
import { and, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { places, publications } from '@/db/schema';
import type { MapGazetteerPlace, PlaceCount } from './border-map';
import type { Country } from '@/lib/publishing/coarsen';
import { filtersToQuery, type PublicFilters } from '@/lib/publishing/filters';
import { memoizePublic } from '@/lib/publishing/public-cache';
import { filterConditions } from '@/lib/publishing/public-queries';

/**
 * Published reports matching `filters` (the /reports filters; the cursor is ignored) counted per
 * **published** place: `publications.place_id`, the coarsened place of the snapshot (null when only
 * the country is public, with the snapshot's country). Never the report's own place: the public
 * side does not read `reports` (decisions/0008-snapshot-publishing.md). For the maps of /reports
 * and /stats (lib/map/border-map.ts). Unfiltered counts are memoized until the next publication,
 * retraction or outside write (lib/publishing/public-cache.ts), like the statistics; filtered ones
 * are counted per call (a memo per query string would let anyone grow the process's memory).
 */
export function countPublicationsByPlace({ filters }: { filters: PublicFilters }): PlaceCount[] {
  const selection = { ...filters, cursor: null };
  if (filtersToQuery(selection) === '') return memoizePublic('map-counts', () => countByPlace(selection));
  return countByPlace(selection);
}

function countByPlace(filters: PublicFilters): PlaceCount[] {
  const conditions = filterConditions(filters);
  if (!conditions) return [];
  const country = sql<string>`json_extract(${publications.snapshot}, '$.place.country')`;
  return getDb()
    .select({ placeId: publications.placeId, country, count: sql<number>`count(*)` })
    .from(publications)
    .where(and(...conditions))
    .groupBy(publications.placeId, country)
    .all()
    .map((row) => ({ placeId: row.placeId, country: (row.country === 'CN' ? 'CN' : 'KP') as Country, count: Number(row.count) }));
}

/**
 * The gazetteer as the map reads it: every place (retired ones too, since older publications name
 * them; marked `isRetired` so they are not drawn as towns) with its coordinates. Public reference
 * data: the same list the place filter offers.
 */
export function listMapGazetteer(): MapGazetteerPlace[] {
  return getDb()
    .select({
      id: places.id,
      kind: places.kind,
      country: places.country,
      parentId: places.parentId,
      nameEn: places.nameEn,
      nameKo: places.nameKo,
      lat: places.lat,
      lon: places.lon,
      retiredAt: places.retiredAt,
    })
    .from(places)
    .all()
    .map(({ retiredAt, ...place }) => ({ ...place, isRetired: retiredAt !== null }));
}
