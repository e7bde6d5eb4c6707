import { describe, expect, it } from 'vitest';
import { SHIPPED_MAP_GAZETTEER } from '@/lib/testing/gazetteer';
import { PLACE_COARSENINGS } from '@/db/enums';
import { coarsenPlace, type Country, type PlaceKind } from '@/lib/publishing/coarsen';
import { prng } from '@/scripts/synthetic-reports';
import { buildBorderMap, countsByProvince, type MapGazetteerPlace, type PlaceCount } from './border-map';
import { projectOnBorderMap } from './projection';

/** The shipped gazetteer (db/seed-data/places.json). */
const GAZETTEER = SHIPPED_MAP_GAZETTEER;

const pointOfPlace = (gazetteer: readonly MapGazetteerPlace[], id: string) => {
  const place = gazetteer.find((p) => p.id === id)!;
  return place.lat === null || place.lon === null ? null : projectOnBorderMap(place.lon, place.lat);
};

/**
 * A random gazetteer tree: per country 1–3 provinces, top-level cities without a province,
 * counties and cities under provinces, crossings under those, rivers with or without a province
 * parent; coordinates random inside the map's frame, or missing (null) one time in eight.
 */
function randomGazetteer(random: () => number): MapGazetteerPlace[] {
  const list: MapGazetteerPlace[] = [];
  let n = 0;
  const coordinate = () =>
    random() < 0.125 ? { lat: null, lon: null } : { lat: Math.round((38.6 + random() * 4.9) * 100) / 100, lon: Math.round((122 + random() * 8.9) * 100) / 100 };
  const add = (kind: PlaceKind, country: Country, parentId: string | null) => {
    n += 1;
    const place = { id: `p${n}`, kind, country, parentId, nameEn: `Place ${n}`, nameKo: `장소 ${n}`, ...coordinate() };
    list.push(place);
    return place.id;
  };
  for (const country of ['KP', 'CN'] as const) {
    if (random() < 0.5) add('city', country, null);
    if (random() < 0.5) add('river', country, null);
    const provinces = 1 + Math.floor(random() * 3);
    for (let i = 0; i < provinces; i += 1) {
      const province = add('province', country, null);
      if (random() < 0.5) add('river', country, province);
      const below = Math.floor(random() * 4);
      for (let j = 0; j < below; j += 1) {
        const town = add(random() < 0.5 ? 'county' : 'city', country, province);
        if (random() < 0.5) add('crossing', country, town);
      }
    }
  }
  return list;
}

/** `placeId` and every place above it (the places a map may show for a report there). */
function selfAndAncestors(gazetteer: readonly MapGazetteerPlace[], placeId: string): Set<string> {
  const found = new Set<string>();
  for (let place = gazetteer.find((p) => p.id === placeId); place && !found.has(place.id); place = gazetteer.find((p) => p.id === place!.parentId)) {
    found.add(place.id);
  }
  return found;
}

describe('buildBorderMap: never finer than published (property, seeded random coarsenings)', () => {
  it('draws each publication at its published place’s own coordinate, or not at all; /stats only ever coarser', () => {
    const random = prng(20_2026);
    for (let round = 0; round < 400; round += 1) {
      const gazetteer = randomGazetteer(random);
      // A few publications: each an exact place and the editor's coarsening, as publishing does it.
      const publications = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const entered = gazetteer[Math.floor(random() * gazetteer.length)]!;
        const choice = PLACE_COARSENINGS[Math.floor(random() * PLACE_COARSENINGS.length)]!;
        return { entered, choice, published: coarsenPlace({ gazetteer, placeId: entered.id, choice }), count: 1 + Math.floor(random() * 5) };
      });
      const counts: PlaceCount[] = publications.map((p) => ({ placeId: p.published.id, country: p.published.country, count: p.count }));
      const publishedIds = new Set(publications.map((p) => p.published.id));
      const model = buildBorderMap({ gazetteer, counts });

      for (const entry of model.entries) {
        // Every entry is a published place (or a whole country), never an entered one that was coarsened away.
        expect(publishedIds.has(entry.placeId)).toBe(true);
        if (entry.placeId === null) expect(entry.point).toBeNull();
        else expect(entry.point).toEqual(pointOfPlace(gazetteer, entry.placeId));
      }
      for (const p of publications) {
        // The exact place appears (listed or drawn) only if some publication was published there.
        if (p.published.id !== p.entered.id && model.entries.some((e) => e.placeId === p.entered.id)) {
          expect(publishedIds.has(p.entered.id)).toBe(true);
        }
      }
      expect(model.total).toBe(publications.reduce((sum, p) => sum + p.count, 0));

      // Per province (/stats): each count goes to its published place or a place above it.
      const byProvince = countsByProvince(counts, gazetteer);
      byProvince.forEach((c, i) => {
        const published = publications[i]!.published;
        if (c.placeId === null) return;
        expect(published.id).not.toBeNull();
        expect(selfAndAncestors(gazetteer, published.id!).has(c.placeId)).toBe(true);
        expect(gazetteer.find((p) => p.id === c.placeId)!.kind).toBe('province');
      });
    }
  });
});

describe('buildBorderMap with the shipped gazetteer', () => {
  it('puts a report published at its province on the province, not on the town it came from', () => {
    const published = coarsenPlace({ gazetteer: GAZETTEER, placeId: 'crossing-hyesan-changbai', choice: 'province' });
    expect(published.id).toBe('kp-yanggang');
    const model = buildBorderMap({ gazetteer: GAZETTEER, counts: [{ placeId: published.id, country: 'KP', count: 2 }] });
    expect(model.entries).toEqual([
      expect.objectContaining({ placeId: 'kp-yanggang', kind: 'province', count: 2, point: projectOnBorderMap(128.2, 41.4), isHighlighted: false }),
    ]);
    expect(model.entries[0]!.point).not.toEqual(projectOnBorderMap(128.19, 41.41)); // the bridge
  });

  it('lists a whole-country publication without a point, adds counts at one place, and lists the highlighted place first', () => {
    const model = buildBorderMap({
      gazetteer: GAZETTEER,
      counts: [
        { placeId: 'kp-hyesan', country: 'KP', count: 1 },
        { placeId: null, country: 'KP', count: 4 },
        { placeId: 'kp-hyesan', country: 'KP', count: 2 },
        { placeId: 'no-such-place', country: 'CN', count: 1 },
      ],
      highlightPlaceId: 'kp-musan',
    });
    expect(model.entries.map((e) => [e.placeId, e.country, e.count, e.point !== null, e.isHighlighted])).toEqual([
      ['kp-musan', 'KP', 0, true, true],
      [null, 'KP', 4, false, false],
      ['kp-hyesan', 'KP', 3, true, false],
      [null, 'CN', 1, false, false],
    ]);
    expect(model.total).toBe(8);
    // Towns for orientation: the cities and counties with coordinates, but not beside another
    // place's marker (Changbai faces Hyesan across the river: left out, Hyesan is itself counted).
    expect(model.towns.map((t) => t.id)).toEqual(expect.arrayContaining(['kp-hyesan', 'kp-sinuiju', 'cn-dandong']));
    expect(model.towns.map((t) => t.id)).not.toContain('cn-changbai');
    expect(model.towns.some((t) => t.id === 'kp-yanggang' || t.id === 'crossing-hyesan-changbai')).toBe(false);
  });

  it('leaves out the towns beside a province’s marker, so it never reads as a town', () => {
    const quiet = buildBorderMap({ gazetteer: GAZETTEER, counts: [] }).towns.map((t) => t.id);
    expect(quiet).toEqual(expect.arrayContaining(['kp-hyesan', 'cn-changbai', 'kp-chongjin']));
    const towns = buildBorderMap({
      gazetteer: GAZETTEER,
      counts: [
        { placeId: 'kp-yanggang', country: 'KP', count: 1 },
        { placeId: 'kp-north-hamgyong', country: 'KP', count: 1 },
      ],
    }).towns.map((t) => t.id);
    for (const hidden of ['kp-hyesan', 'cn-changbai', 'kp-chongjin']) expect(towns).not.toContain(hidden);
    expect(towns).toContain('kp-sinuiju');
  });

  it('counts per province: a county goes to its province, Pyongyang (no province) to its country', () => {
    expect(
      countsByProvince(
        [
          { placeId: 'kp-hyesan', country: 'KP', count: 2 },
          { placeId: 'river-amrok-chagang', country: 'KP', count: 1 },
          { placeId: 'kp-pyongyang', country: 'KP', count: 1 },
          { placeId: null, country: 'CN', count: 1 },
        ],
        GAZETTEER,
      ),
    ).toEqual([
      { placeId: 'kp-yanggang', country: 'KP', count: 2 },
      { placeId: 'kp-chagang', country: 'KP', count: 1 },
      { placeId: null, country: 'KP', count: 1 },
      { placeId: null, country: 'CN', count: 1 },
    ]);
  });
});
