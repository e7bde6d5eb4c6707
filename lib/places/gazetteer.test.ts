import { beforeAll, describe, expect, it } from 'vitest';
import { mergeEntry, retireEntry } from '@/lib/testing/reference';
import { matchesPlaceQuery, normaliseSearchText, toInitialSoundSpelling } from './search';

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

  it('finds the places inside a province by the province’s name, in English or Korean', () => {
    const yanggang = ids(gazetteer.searchPlaceOptions({ locale: 'en', query: 'Yanggang' }));
    for (const id of ['kp-yanggang', 'kp-hyesan', 'kp-samjiyon', 'kp-kimjongsuk', 'kp-kimhyongjik', 'kp-pochon', 'river-amrok-yanggang']) {
      expect(yanggang, id).toContain(id);
    }
    // Through the grandparent too: the bridge lies in Hyesan, which lies in Yanggang.
    expect(yanggang).toContain('crossing-hyesan-changbai');
    expect(yanggang).not.toContain('kp-musan');
    expect(yanggang).not.toContain('cn-changbai');
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: '량강' }))).toEqual(expect.arrayContaining(['kp-hyesan', 'kp-samjiyon']));
  });

  it('finds North Korean spellings by the South Korean ones (the initial-sound rule): 양강 finds 량강도', () => {
    const south = ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: '양강' }));
    expect(south).toContain('kp-yanggang');
    expect(south).toContain('kp-hyesan');
    expect(south).toEqual(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: '량강' })));
    // A syllable inside a word keeps its sound: 록강 still finds 압록강, and 녹강 does not.
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: '록강' }))).toContain('river-amrok');
    expect(ids(gazetteer.searchPlaceOptions({ locale: 'ko', query: '녹강' }))).toEqual([]);
  });

  it('gives each place the time zone of its country', () => {
    const options = gazetteer.listPlaceOptions({ locale: 'en' });
    expect(options.find((p) => p.id === 'cn-dandong')?.timeZone).toBe('Asia/Shanghai');
    expect(options.find((p) => p.id === 'kp-hyesan')?.timeZone).toBe('Asia/Pyongyang');
    expect(gazetteer.placeTimeZone({ placeId: 'cn-changbai' })).toBe('Asia/Shanghai');
    expect(gazetteer.placeTimeZone({ placeId: 'kp-sinuiju' })).toBe('Asia/Pyongyang');
    expect(gazetteer.placeTimeZone({ placeId: 'nowhere' })).toBeNull();
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

  it('matches through the names of the places an entry lies in', () => {
    const hyesan = { nameEn: 'Hyesan', nameKo: '혜산', ancestorNames: ['Yanggang Province', '량강도'] };
    expect(matchesPlaceQuery(hyesan, 'yanggang')).toBe(true);
    expect(matchesPlaceQuery(hyesan, '양강도')).toBe(true);
    expect(matchesPlaceQuery(hyesan, 'hamgyong')).toBe(false);
  });

  it('writes word-initial ㄹ and ㄴ as the South does (Korean Orthography arts. 10–12), and only word-initial ones', () => {
    // Art. 11: 랴 려 례 료 류 리 → 야 여 예 요 유 이 (finals kept: 량 → 양, 령 → 영, 룡 → 용).
    expect(toInitialSoundSpelling('량강도')).toBe('양강도');
    expect(toInitialSoundSpelling('려 례 료 류 리 령 룡')).toBe('여 예 요 유 이 영 용');
    // Art. 12: 라 래 로 뢰 루 르 → 나 내 노 뇌 누 느 (릉라 → 능라).
    expect(toInitialSoundSpelling('라 래 로 뢰 루 르 로동 릉라')).toBe('나 내 노 뇌 누 느 노동 능라');
    // Art. 10: 녀 뇨 뉴 니 → 여 요 유 이.
    expect(toInitialSoundSpelling('녀성 뇨 뉴 니')).toBe('여성 요 유 이');
    // Inside a word, and other sounds, unchanged; a hyphen or bracket starts a word.
    expect(toInitialSoundSpelling('압록강 나라 러시아')).toBe('압록강 나라 러시아');
    expect(toInitialSoundSpelling('혜산-량강 (룡천)')).toBe('혜산-양강 (용천)');
    expect(toInitialSoundSpelling('Ryanggang')).toBe('Ryanggang');
  });
});
