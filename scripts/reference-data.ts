/**
 * Reference lists (gazetteer, agencies, goods categories) as shipped in db/seed-data, and the
 * function that loads them. Copied from the project's fixtures so the app never reads ../shared.
 */
import { and, eq, isNull } from 'drizzle-orm';
import placesJson from '@/db/seed-data/places.json';
import agenciesJson from '@/db/seed-data/agencies.json';
import goodsJson from '@/db/seed-data/goods-categories.json';
import { agencies, goodsCategories, places, AGENCY_KINDS, PLACE_KINDS } from '@/db/schema';
import type { Tx } from '@/db/client';

type PlaceKind = (typeof PLACE_KINDS)[number];
type AgencyKind = (typeof AGENCY_KINDS)[number];

export const seedPlaces = placesJson.places.map((p) => ({
  id: p.id,
  kind: p.kind as PlaceKind,
  country: p.country as 'KP' | 'CN',
  parentId: 'parent' in p ? (p.parent ?? null) : null,
  nameEn: p.name_en,
  nameKo: p.name_ko,
  lat: p.lat,
  lon: p.lon,
}));

export const seedAgencies = agenciesJson.agencies.map((a) => ({
  id: a.id,
  kind: a.kind as AgencyKind,
  nameEn: a.name_en,
  nameKo: a.name_ko,
  note: 'note' in a ? (a.note ?? null) : null,
}));

export const seedGoodsCategories = goodsJson.categories.map((g) => ({
  id: g.id,
  nameEn: g.name_en,
  nameKo: g.name_ko,
}));

/**
 * Insert the reference lists, leaving rows that already exist untouched (admins may have renamed
 * or retired them). Runs inside the caller's transaction.
 */
export function seedReferenceLists(tx: Tx): void {
  // Parents first: provinces and parentless places precede their children in the fixture order,
  // but insert in two passes so the order of the JSON never matters.
  for (const p of seedPlaces) tx.insert(places).values({ ...p, parentId: null }).onConflictDoNothing().run();
  for (const p of seedPlaces) {
    if (!p.parentId) continue;
    tx.update(places)
      .set({ parentId: p.parentId })
      .where(and(eq(places.id, p.id), isNull(places.parentId)))
      .run();
  }
  for (const a of seedAgencies) tx.insert(agencies).values(a).onConflictDoNothing().run();
  for (const g of seedGoodsCategories) tx.insert(goodsCategories).values(g).onConflictDoNothing().run();
}
