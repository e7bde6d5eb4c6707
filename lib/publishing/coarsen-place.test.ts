import { describe, expect, it } from 'vitest';
import { PLACE_COARSENINGS, PLACE_KINDS } from '@/db/schema';
import placesFixture from '@/db/seed-data/places.json';
import {
  attributionFor,
  coarsenPlace,
  type GazetteerPlace,
  type PlaceCoarsening,
  type PlaceKind,
} from './coarsen';

/** db/seed-data/places.json in the shape of `places` rows. */
const GAZETTEER: GazetteerPlace[] = placesFixture.places.map((raw) => {
  const kind = PLACE_KINDS.find((k) => k === raw.kind);
  const country = raw.country === 'KP' || raw.country === 'CN' ? raw.country : undefined;
  if (!kind || !country) throw new Error(`Bad fixture place ${raw.id}`);
  return { id: raw.id, kind, country, parentId: raw.parent ?? null, nameEn: raw.name_en, nameKo: raw.name_ko };
});

/**
 * Expected public place id for every fixture place at each level (null = the country only).
 * A place added to the fixture without a row here fails "covers every fixture place".
 */
const EXPECTED: Record<string, Record<PlaceCoarsening, string | null>> = {
  'kp-yanggang': { as_entered: 'kp-yanggang', county_or_city: 'kp-yanggang', province: 'kp-yanggang', country: null },
  'kp-north-hamgyong': {
    as_entered: 'kp-north-hamgyong', county_or_city: 'kp-north-hamgyong', province: 'kp-north-hamgyong', country: null,
  },
  'kp-chagang': { as_entered: 'kp-chagang', county_or_city: 'kp-chagang', province: 'kp-chagang', country: null },
  'kp-north-pyongan': {
    as_entered: 'kp-north-pyongan', county_or_city: 'kp-north-pyongan', province: 'kp-north-pyongan', country: null,
  },
  // Parentless cities: no province in the gazetteer, so province level shows only the country.
  'kp-pyongyang': { as_entered: 'kp-pyongyang', county_or_city: 'kp-pyongyang', province: null, country: null },
  'kp-nampo': { as_entered: 'kp-nampo', county_or_city: 'kp-nampo', province: null, country: null },
  'kp-hyesan': { as_entered: 'kp-hyesan', county_or_city: 'kp-hyesan', province: 'kp-yanggang', country: null },
  'kp-samjiyon': { as_entered: 'kp-samjiyon', county_or_city: 'kp-samjiyon', province: 'kp-yanggang', country: null },
  'kp-kimjongsuk': { as_entered: 'kp-kimjongsuk', county_or_city: 'kp-kimjongsuk', province: 'kp-yanggang', country: null },
  'kp-kimhyongjik': {
    as_entered: 'kp-kimhyongjik', county_or_city: 'kp-kimhyongjik', province: 'kp-yanggang', country: null,
  },
  'kp-pochon': { as_entered: 'kp-pochon', county_or_city: 'kp-pochon', province: 'kp-yanggang', country: null },
  'kp-musan': { as_entered: 'kp-musan', county_or_city: 'kp-musan', province: 'kp-north-hamgyong', country: null },
  'kp-hoeryong': { as_entered: 'kp-hoeryong', county_or_city: 'kp-hoeryong', province: 'kp-north-hamgyong', country: null },
  'kp-onsong': { as_entered: 'kp-onsong', county_or_city: 'kp-onsong', province: 'kp-north-hamgyong', country: null },
  'kp-chongjin': { as_entered: 'kp-chongjin', county_or_city: 'kp-chongjin', province: 'kp-north-hamgyong', country: null },
  'kp-manpo': { as_entered: 'kp-manpo', county_or_city: 'kp-manpo', province: 'kp-chagang', country: null },
  'kp-sinuiju': { as_entered: 'kp-sinuiju', county_or_city: 'kp-sinuiju', province: 'kp-north-pyongan', country: null },
  'cn-jilin': { as_entered: 'cn-jilin', county_or_city: 'cn-jilin', province: 'cn-jilin', country: null },
  'cn-liaoning': { as_entered: 'cn-liaoning', county_or_city: 'cn-liaoning', province: 'cn-liaoning', country: null },
  'cn-changbai': { as_entered: 'cn-changbai', county_or_city: 'cn-changbai', province: 'cn-jilin', country: null },
  'cn-linjiang': { as_entered: 'cn-linjiang', county_or_city: 'cn-linjiang', province: 'cn-jilin', country: null },
  'cn-jian': { as_entered: 'cn-jian', county_or_city: 'cn-jian', province: 'cn-jilin', country: null },
  'cn-tumen': { as_entered: 'cn-tumen', county_or_city: 'cn-tumen', province: 'cn-jilin', country: null },
  'cn-dandong': { as_entered: 'cn-dandong', county_or_city: 'cn-dandong', province: 'cn-liaoning', country: null },
  // Rivers have no county, city or province above them: anything coarser than "as entered" is the country.
  'river-amrok': { as_entered: 'river-amrok', county_or_city: null, province: null, country: null },
  'river-tuman': { as_entered: 'river-tuman', county_or_city: null, province: null, country: null },
  // Project additions: river stretches under their province (a stretch is no finer than its province).
  'river-amrok-yanggang': { as_entered: 'river-amrok-yanggang', county_or_city: 'kp-yanggang', province: 'kp-yanggang', country: null },
  'river-amrok-chagang': { as_entered: 'river-amrok-chagang', county_or_city: 'kp-chagang', province: 'kp-chagang', country: null },
  'river-amrok-north-pyongan': {
    as_entered: 'river-amrok-north-pyongan', county_or_city: 'kp-north-pyongan', province: 'kp-north-pyongan', country: null,
  },
  'river-tuman-north-hamgyong': {
    as_entered: 'river-tuman-north-hamgyong', county_or_city: 'kp-north-hamgyong', province: 'kp-north-hamgyong', country: null,
  },
  'crossing-hyesan-changbai': {
    as_entered: 'crossing-hyesan-changbai', county_or_city: 'kp-hyesan', province: 'kp-yanggang', country: null,
  },
  'crossing-sinuiju-dandong': {
    as_entered: 'crossing-sinuiju-dandong', county_or_city: 'kp-sinuiju', province: 'kp-north-pyongan', country: null,
  },
};

/** Kinds a result may have at each level: the level itself or coarser, never finer. */
const ALLOWED_KINDS: Record<PlaceCoarsening, readonly (PlaceKind | 'country')[]> = {
  as_entered: [...PLACE_KINDS, 'country'],
  county_or_city: ['county', 'city', 'province', 'country'],
  province: ['province', 'country'],
  country: ['country'],
};

function ancestorsOf(id: string): Set<string> {
  const ids = new Set<string>();
  for (let place = GAZETTEER.find((p) => p.id === id); place && !ids.has(place.id); ) {
    ids.add(place.id);
    const parentId = place.parentId;
    place = GAZETTEER.find((p) => p.id === parentId);
  }
  return ids;
}

describe('coarsenPlace over the fixture gazetteer', () => {
  it('covers every fixture place', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(GAZETTEER.map((p) => p.id).sort());
  });

  for (const place of GAZETTEER) {
    for (const choice of PLACE_COARSENINGS) {
      it(`${place.id} at ${choice} → ${EXPECTED[place.id]?.[choice] ?? 'its country'}`, () => {
        const expected = EXPECTED[place.id];
        expect(expected, `no expectation for ${place.id}`).toBeDefined();
        const result = coarsenPlace({ gazetteer: GAZETTEER, placeId: place.id, choice });

        expect(result.id).toBe(expected?.[choice]);
        expect(result.country).toBe(place.country);
        // Never finer than asked, and always the place itself, one of its ancestors, or its country.
        expect(ALLOWED_KINDS[choice]).toContain(result.kind);
        if (result.id === null) {
          expect(result.kind).toBe('country');
        } else {
          expect(ancestorsOf(place.id).has(result.id)).toBe(true);
          const shown = GAZETTEER.find((p) => p.id === result.id);
          expect({ nameEn: result.nameEn, nameKo: result.nameKo }).toEqual({ nameEn: shown?.nameEn, nameKo: shown?.nameKo });
        }
      });
    }
  }
});

describe('coarsenPlace: what a reader sees', () => {
  it('shows a crossing under Hyesan as Yanggang Province by default', () => {
    expect(coarsenPlace({ gazetteer: GAZETTEER, placeId: 'crossing-hyesan-changbai' })).toEqual({
      id: 'kp-yanggang',
      kind: 'province',
      country: 'KP',
      nameEn: 'Yanggang Province',
      nameKo: '량강도',
    });
  });

  it('shows the crossing as Hyesan at county or city level', () => {
    expect(coarsenPlace({ gazetteer: GAZETTEER, placeId: 'crossing-hyesan-changbai', choice: 'county_or_city' }))
      .toMatchObject({ id: 'kp-hyesan', nameEn: 'Hyesan', nameKo: '혜산' });
  });

  it('names the country in English and Korean', () => {
    expect(coarsenPlace({ gazetteer: GAZETTEER, placeId: 'river-amrok' })).toEqual({
      id: null,
      kind: 'country',
      country: 'KP',
      nameEn: 'North Korea',
      nameKo: '북한',
    });
    expect(coarsenPlace({ gazetteer: GAZETTEER, placeId: 'cn-dandong', choice: 'country' })).toEqual({
      id: null,
      kind: 'country',
      country: 'CN',
      nameEn: 'China',
      nameKo: '중국',
    });
  });

  it('falls back to the country when a parent is missing from the gazetteer', () => {
    const gazetteer: GazetteerPlace[] = [
      { id: 'orphan', kind: 'crossing', country: 'KP', parentId: 'gone', nameEn: 'Orphan', nameKo: '고아' },
    ];
    expect(coarsenPlace({ gazetteer, placeId: 'orphan', choice: 'county_or_city' })).toMatchObject({ id: null });
  });

  it('ends the walk on a cycle of parents instead of looping', () => {
    const gazetteer: GazetteerPlace[] = [
      { id: 'a', kind: 'crossing', country: 'CN', parentId: 'b', nameEn: 'A', nameKo: 'A' },
      { id: 'b', kind: 'crossing', country: 'CN', parentId: 'a', nameEn: 'B', nameKo: 'B' },
    ];
    expect(coarsenPlace({ gazetteer, placeId: 'a', choice: 'province' })).toMatchObject({ id: null, nameEn: 'China' });
  });

  it('throws for a place that is not in the gazetteer', () => {
    expect(() => coarsenPlace({ gazetteer: GAZETTEER, placeId: 'kp-nowhere' })).toThrow(RangeError);
  });
});

describe('attributionFor', () => {
  it('names the province and nothing about the partner', () => {
    const place = coarsenPlace({ gazetteer: GAZETTEER, placeId: 'kp-hyesan' });
    expect(attributionFor(place)).toEqual({
      en: 'a reporting partner in Yanggang Province',
      ko: '량강도의 한 취재 협력자',
    });
  });

  it('says "near" a river or crossing', () => {
    const river = coarsenPlace({ gazetteer: GAZETTEER, placeId: 'river-amrok', choice: 'as_entered' });
    expect(attributionFor(river)).toEqual({
      en: 'a reporting partner near Amrok-gang (Yalu River)',
      ko: '압록강 인근의 한 취재 협력자',
    });
  });

  it('says "in North Korea" at country level', () => {
    const country = coarsenPlace({ gazetteer: GAZETTEER, placeId: 'kp-musan', choice: 'country' });
    expect(attributionFor(country)).toEqual({ en: 'a reporting partner in North Korea', ko: '북한의 한 취재 협력자' });
  });
});
