import { beforeAll, describe, expect, it } from 'vitest';
import { mergeEntry, retireEntry } from '@/lib/testing/reference';
import { matchesPlaceQuery, normaliseSearchText } from './search';

let gazetteer: typeof import('./gazetteer');
let client: typeof import('@/db/client');

beforeAll(async () => {
  gazetteer = await import('./gazetteer');
  client = await import('@/db/client');
});

const ids = (options: { id: string }[]) => options.map((o) => o.id);

describe('gazetteer search', () => {
  it('finds Hyesan by its Korean name typed composed (NFC) or decomposed (NFD) alike', () => {
    const composed = '혜산'.normalize('NFC');
    const decomposed = '혜산'.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const byComposed = ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: composed }));
    const byDecomposed = ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: decomposed }));
    expect(byComposed).toContain('kp-hyesan');
    expect(byDecomposed).toEqual(byComposed);
  });

  it('finds a name stored decomposed (an admin typed it as NFD) by a composed query, and the other way round', () => {
    client.getSqlite().prepare("UPDATE places SET name_ko = ? WHERE id = 'kp-musan'").run('무산'.normalize('NFD'));
    for (const query of ['무산'.normalize('NFC'), '무산'.normalize('NFD'), '무'.normalize('NFC'), 'MUSAN']) {
      expect(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query })), query).toEqual(['kp-musan']);
    }
    // Hangul never matches by a mere shared jamo: 무 (mu) is not 문 (mun).
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: '문' }))).toEqual([]);
  });

  it('finds a place by its English name in any case, whatever the reader’s language', () => {
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: 'HYESAN' }))).toContain('kp-hyesan');
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'en', query: 'yalu' }))).toContain('river-amrok');
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'en', query: 'yalu river), yanggang' }))).toEqual(['river-amrok-yanggang']);
  });

  it('treats % and _ as plain text, not as wildcards', () => {
    expect(gazetteer.searchPlaceOptions({ locale: 'en', query: '%' })).toEqual([]);
    expect(gazetteer.searchPlaceOptions({ locale: 'en', query: '_' })).toEqual([]);
    expect(gazetteer.searchPlaceOptions({ locale: 'en', query: '.*' })).toEqual([]);
  });

  it('names places in the reader’s language, with the province they lie in', () => {
    const ko = gazetteer.listPlaceOptions({ locale: 'ko' }).find((p) => p.id === 'kp-hyesan');
    expect(ko).toMatchObject({ name: '혜산', parentName: '량강도' });
    const en = gazetteer.listPlaceOptions({ locale: 'en' }).find((p) => p.id === 'kp-hyesan');
    expect(en).toMatchObject({ name: 'Hyesan', parentName: 'Yanggang Province' });
  });

  it('offers only active entries', () => {
    retireEntry('places', 'kp-manpo');
    mergeEntry('agencies', 'yonsung', 'chonji');
    expect(ids(gazetteer.listPlaceOptions({ locale: 'en' }))).not.toContain('kp-manpo');
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'en', query: 'manpo' }))).toEqual([]);
    expect(ids(gazetteer.listAgencyOptions({ locale: 'en' }))).not.toContain('yonsung');
    expect(ids(gazetteer.listAgencyOptions({ locale: 'en' }))).toContain('chonji');
    expect(gazetteer.listGoodsCategoryOptions({ locale: 'ko' }).find((c) => c.id === 'electronics')?.name).toBe('전자제품');
  });
});

describe('search text matching (shared with the browser)', () => {
  it('folds full-width letters and surrounding space', () => {
    expect(normaliseSearchText('  ＨＹＥＳＡＮ ')).toBe('hyesan');
    expect(matchesPlaceQuery({ nameEn: 'Hyesan', nameKo: '혜산' }, 'ｈｙｅ')).toBe(true);
    expect(matchesPlaceQuery({ nameEn: 'Hyesan', nameKo: '혜산' }, '산'.normalize('NFD'))).toBe(true);
    expect(matchesPlaceQuery({ nameEn: 'Hyesan', nameKo: '혜산' }, 'musan')).toBe(false);
  });
});
