/**
 * The shipped gazetteer (db/seed-data/places.json) as the border map reads it, for tests (Vitest
 * only; never imported by the app).
 */
import places from '@/db/seed-data/places.json';
import type { MapGazetteerPlace } from '@/lib/map/border-map';
import type { Country, PlaceKind } from '@/lib/publishing/coarsen';

export const SHIPPED_MAP_GAZETTEER: MapGazetteerPlace[] = places.places.map((p) => ({
  id: p.id,
  kind: p.kind as PlaceKind,
  country: p.country as Country,
  parentId: (p as { parent?: string | null }).parent ?? null,
  nameEn: p.name_en,
  nameKo: p.name_ko,
  lat: p.lat ?? null,
  lon: p.lon ?? null,
}));
