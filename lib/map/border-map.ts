/**
 * What the border map shows (issue 20 item 4), as a pure model the SVG component
 * (app/_components/border-map.tsx) draws: markers with counts at gazetteer places, the towns of
 * the gazetteer for orientation, and a list with the same information for screen readers.
 *
 * The rule that keeps sources safe: a marker stands at the gazetteer coordinate of the place it is
 * given — for public maps, the publication's **published** (coarsened) place, `snapshot.place.id` /
 * `publications.place_id` — and nowhere else; counts are never spread, jittered or moved towards
 * anything finer. A publication published at country level ("North Korea") has no point: it is
 * listed, not drawn. /stats coarsens further (`countsByProvince`), never finer.
 * Source: docs/product.md "Publishing"; lib/publishing/coarsen.ts.
 */
import { COUNTRY_NAMES, coarsenPlace, type Country, type GazetteerPlace, type PlaceKind } from '@/lib/publishing/coarsen';
import { projectOnBorderMap, type MapPoint } from './projection';

/** A gazetteer place with its coordinates (degrees; null when the gazetteer has none). */
export type MapGazetteerPlace = GazetteerPlace & { lat: number | null; lon: number | null; isRetired?: boolean };

/** Publications (or reports, on the editors' map) at one place; `placeId` null: the country only. */
export type PlaceCount = { placeId: string | null; country: Country; count: number };

/** One line of the map's list, drawn as a marker when `point` is not null. */
export type MapEntry = {
  /** Gazetteer id, or null for a whole country. */
  placeId: string | null;
  kind: PlaceKind | 'country';
  country: Country;
  nameEn: string;
  nameKo: string;
  count: number;
  /** Where the marker stands: the place's own gazetteer coordinate; null when not drawn. */
  point: MapPoint | null;
  /** The place the page is about (the editors' exact place, a report's published place). */
  isHighlighted: boolean;
};

/** A town of the gazetteer drawn for orientation (a city or county with coordinates on the map). */
export type MapTown = { id: string; nameEn: string; nameKo: string; country: Country; point: MapPoint };

export type BorderMapModel = {
  /** Every place with a count (drawn or not), the highlighted one first, then by count, largest first. */
  entries: MapEntry[];
  /** Cities and counties for orientation, except those under or beside another place's marker. */
  towns: MapTown[];
  /** The sum of the counts. */
  total: number;
};

/** A marker's radius in SVG units: its area grows with the count (6 for one, at most 24). */
export function markerRadius(count: number): number {
  return Math.min(24, 3 + 3 * Math.sqrt(Math.max(count, 1)));
}

/** Towns closer than this to another place's marker (beyond its radius) are left out. */
const TOWN_CLEARANCE = 12;

function pointOf(place: MapGazetteerPlace | undefined): MapPoint | null {
  if (!place || place.lat === null || place.lon === null) return null;
  return projectOnBorderMap(place.lon, place.lat);
}

/**
 * The map of `counts` over `gazetteer`. Counts at the same place are added up. A place id missing
 * from the gazetteer is listed under its country (coarser, never finer) with no point.
 * `highlightPlaceId`: the place the page is about, marked and listed first even when its count is
 * 0 (the editors' exact place when no other report is there).
 */
export function buildBorderMap({
  gazetteer,
  counts,
  highlightPlaceId = null,
}: {
  gazetteer: readonly MapGazetteerPlace[];
  counts: readonly PlaceCount[];
  highlightPlaceId?: string | null;
}): BorderMapModel {
  const byId = new Map(gazetteer.map((place) => [place.id, place]));
  const entries = new Map<string, MapEntry>();
  const add = (placeId: string | null, country: Country, count: number) => {
    const place = placeId === null ? undefined : byId.get(placeId);
    const key = place ? `place:${place.id}` : `country:${country}`;
    const found = entries.get(key);
    if (found) {
      found.count += count;
      return;
    }
    entries.set(
      key,
      place
        ? { placeId: place.id, kind: place.kind, country: place.country, nameEn: place.nameEn, nameKo: place.nameKo, count, point: pointOf(place), isHighlighted: false }
        : { placeId: null, kind: 'country', country, ...COUNTRY_NAMES[country], count, point: null, isHighlighted: false },
    );
  };
  for (const { placeId, country, count } of counts) add(placeId, country, count);
  const highlighted = highlightPlaceId === null ? undefined : byId.get(highlightPlaceId);
  if (highlighted) {
    add(highlighted.id, highlighted.country, 0);
    entries.get(`place:${highlighted.id}`)!.isHighlighted = true;
  }

  // A town under or beside another place's marker is left out: a province's marker (at its
  // gazetteer point, often its capital's) must not read as the town next to it.
  const drawn = [...entries.values()].filter((entry) => entry.point !== null);
  const isCovered = (id: string, point: MapPoint) =>
    drawn.some((entry) => entry.placeId !== id && Math.hypot(entry.point!.x - point.x, entry.point!.y - point.y) < markerRadius(entry.count) + TOWN_CLEARANCE);
  const towns: MapTown[] = [];
  for (const place of gazetteer) {
    if (place.isRetired || (place.kind !== 'city' && place.kind !== 'county')) continue;
    const point = pointOf(place);
    if (point && !isCovered(place.id, point)) towns.push({ id: place.id, nameEn: place.nameEn, nameKo: place.nameKo, country: place.country, point });
  }

  const list = [...entries.values()].sort(
    (a, b) => Number(b.isHighlighted) - Number(a.isHighlighted) || b.count - a.count || (a.nameEn < b.nameEn ? -1 : a.nameEn > b.nameEn ? 1 : 0),
  );
  return { entries: list, towns, total: list.reduce((sum, entry) => sum + entry.count, 0) };
}

/**
 * Counts per province for /stats: each published place coarsened to its province with
 * lib/publishing/coarsen.ts `coarsenPlace` (a county or crossing → its province; a province stays;
 * a place with no province above it, such as Pyongyang, → its country). Only ever coarser than
 * the published place. A place id missing from the gazetteer goes to its country.
 */
export function countsByProvince(counts: readonly PlaceCount[], gazetteer: readonly GazetteerPlace[]): PlaceCount[] {
  const ids = new Set(gazetteer.map((place) => place.id));
  return counts.map(({ placeId, country, count }) => {
    if (placeId === null || !ids.has(placeId)) return { placeId: null, country, count };
    const province = coarsenPlace({ gazetteer, placeId, choice: 'province' });
    return { placeId: province.id, country: province.country, count };
  });
}
