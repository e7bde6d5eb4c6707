import { describe, expect, it } from 'vitest';
import shipped from '@/db/seed-data/places.json';
import type { GazetteerPlace, PlaceCoarsening, TimeCoarsening } from './coarsen';
import { findLeaks, placeNameVariants, publicTextFields, unconfirmedLeaks, type PublishableRows } from './leak-check';

/** The gazetteer as the app ships it (db/seed-data/places.json). */
const gazetteer: GazetteerPlace[] = shipped.places.map((p) => ({
  id: p.id,
  kind: p.kind as GazetteerPlace['kind'],
  country: p.country as GazetteerPlace['country'],
  parentId: (p as { parent?: string | null }).parent ?? null,
  nameEn: p.name_en,
  nameKo: p.name_ko,
}));

function check(text: string, { place = 'province', time = 'day' }: { place?: PlaceCoarsening; time?: TimeCoarsening } = {}) {
  return findLeaks({ fields: [{ field: 'summaryEn', text }], gazetteer, placeCoarsening: place, timeCoarsening: time });
}
const placesIn = (text: string, choice?: PlaceCoarsening) =>
  check(text, { place: choice, time: 'hour' }).flatMap((flag) => (flag.kind === 'place' ? [flag.place.id] : []));
const timesIn = (text: string, time: TimeCoarsening = 'day') =>
  check(text, { place: 'as_entered', time }).flatMap((flag) => (flag.kind === 'time' ? [flag.found] : []));

describe('place names finer than the chosen coarsening', () => {
  it('flags "the Hyesan bridge" when the place shown is the province, with the text around it', () => {
    const [flag, ...rest] = check('Trucks waited at the Hyesan bridge until dawn.');
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({
      key: 'summaryEn|place|kp-hyesan',
      field: 'summaryEn',
      kind: 'place',
      found: 'Hyesan',
      count: 1,
      place: { id: 'kp-hyesan', nameEn: 'Hyesan', nameKo: '혜산', level: 'county_or_city' },
      context: { before: 'Trucks waited at the ', match: 'Hyesan', after: ' bridge until dawn.' },
    });
  });

  it('leaves a name at or above the chosen level alone', () => {
    expect(placesIn('Seen in Yanggang Province, North Korea.', 'province')).toEqual([]);
    expect(placesIn('Seen in Hyesan, Yanggang Province.', 'county_or_city')).toEqual([]);
    expect(placesIn('Seen in Hyesan, Yanggang Province.', 'country')).toEqual(['kp-hyesan', 'kp-yanggang']);
    expect(placesIn('At the Changbai–Hyesan International Bridge.', 'as_entered')).toEqual([]);
  });

  it('flags a crossing named in full below county level, as one flag (not also its city)', () => {
    expect(placesIn('At the Changbai–Hyesan International Bridge.', 'county_or_city')).toEqual(['crossing-hyesan-changbai']);
    expect(placesIn('At the Changbai–Hyesan International Bridge.', 'province')).toEqual(['crossing-hyesan-changbai']);
  });

  it('matches whole words only, in any case', () => {
    expect(placesIn('HYESAN and hyesan and Hyesan’s market')).toEqual(['kp-hyesan']);
    expect(check('HYESAN and hyesan and Hyesan’s market')[0]?.count).toBe(3);
    expect(placesIn('Hyesanese traders; NoHyesan; Musanbong; Onsongs')).toEqual([]);
    expect(placesIn('Hyesan-si, (Musan), "Onsong".')).toEqual(['kp-hyesan', 'kp-musan', 'kp-onsong']);
  });

  it('finds Korean names with particles attached, but not inside another word', () => {
    expect(placesIn('혜산에서 트럭이 건너왔다')).toEqual(['kp-hyesan']);
    expect(placesIn('혜산시, 무산군과 온성으로')).toEqual(['kp-hyesan', 'kp-musan', 'kp-onsong']);
    expect(placesIn('북혜산 근처')).toEqual([]);
    expect(check('혜산에서 트럭이')[0]).toMatchObject({ found: '혜산', context: { match: '혜산', after: '에서 트럭이' } });
  });

  it('knows the spellings the place search knows: the initial-sound rule, full-width letters, decomposed Hangul', () => {
    // 린장 (Linjiang) typed in the South's spelling, 량강도 as 양강도, at country level.
    expect(placesIn('인장에서 만났다')).toEqual(['cn-linjiang']);
    expect(placesIn('양강도 북부', 'country')).toEqual(['kp-yanggang']);
    expect(placesIn('ＨＹＥＳＡＮ 근처')).toEqual(['kp-hyesan']);
    expect(placesIn('혜산에서'.normalize('NFD'))).toEqual(['kp-hyesan']);
  });

  it('finds names without their generic word or apostrophe, and the parts of a bracketed name', () => {
    expect(placesIn('in Kimjongsuk and 김정숙 and Pochon')).toEqual(['kp-kimjongsuk', 'kp-pochon']);
    expect(placesIn('goods went to Jian and then Dandong')).toEqual(['cn-jian', 'cn-dandong']);
    expect(placeNameVariants({ nameEn: 'Amrok-gang (Yalu River)', nameKo: '압록강' })).toEqual(
      expect.arrayContaining(['amrok-gang (yalu river)', 'amrok-gang', 'yalu river']),
    );
    expect(placeNameVariants({ nameEn: 'Yanggang Province', nameKo: '량강도' })).toEqual(
      expect.arrayContaining(['yanggang province', 'yanggang', '양강도', '양강']),
    );
  });

  it('treats rivers as the border, never finer than the country', () => {
    expect(placesIn('They cross the upper Amrok and the Yalu River, 압록강을 건너', 'country')).toEqual([]);
  });

  it('flags cities anywhere, not only the report’s own place', () => {
    expect(placesIn('sold in Pyongyang, Nampo and Chongjin')).toEqual(['kp-pyongyang', 'kp-nampo', 'kp-chongjin']);
  });
});

describe('clock times and dates finer than the chosen time coarsening', () => {
  it('flags clock times when the time shown is the day', () => {
    expect(timesIn('They crossed at 23:40, again at 11 pm, 7:05 a.m. and at midnight.')).toEqual(['23:40', '11 pm', '7:05 a.m.', 'midnight']);
    expect(timesIn('오후 11시에 건넜고 23시 40분에 돌아왔다. 새벽 3시 반.')).toEqual(['오후 11시', '23시 40분', '새벽 3시 반']);
    expect(timesIn("eleven o'clock, 11PM, 11p.m.")).toEqual(["eleven o'clock", '11PM', '11p.m.']);
  });

  it('keeps an hour when the hour is shown, but flags minutes', () => {
    expect(timesIn('at 11 pm and 오후 11시, then 23:40', 'hour')).toEqual(['23:40']);
  });

  it('flags dates and weekdays when the week or the month is shown, not when the day is', () => {
    const text = 'On 2018-06-03 (June 3, 2018), 3 June, 6월 3일, 2018년 6월 3일 and Sunday, 일요일.';
    expect(timesIn(text, 'day')).toEqual([]);
    expect(timesIn(text, 'week')).toEqual(['2018-06-03', 'June 3', '3 June', '6월 3일', '2018년 6월 3일', 'Sunday', '일요일']);
    expect(timesIn('the 3rd of June and Sept. 12th', 'month')).toEqual(['3rd of June', 'Sept. 12th']);
  });

  it('leaves durations, amounts, months and years alone', () => {
    expect(timesIn('3시간 동안, 12 trucks, 2.50 USD, in June 2018, 6월에, 2018년, 1:2 odds, 40분 걸렸다', 'month')).toEqual([]);
    expect(timesIn('June 2018 and 30 tonnes of ore in 2018', 'month')).toEqual([]);
  });

  it('gives each time its own flag, keyed by field and text', () => {
    const flags = findLeaks({
      fields: [
        { field: 'titleEn', text: 'Crossing at 23:40' },
        { field: 'photoCaption-7', text: 'at 23:40, and 23:40 again' },
      ],
      gazetteer,
      placeCoarsening: 'province',
      timeCoarsening: 'day',
    });
    expect(flags.map((f) => [f.key, f.count])).toEqual([
      ['titleEn|time|23:40', 1],
      ['photoCaption-7|time|23:40', 2],
    ]);
  });
});

describe('confirmations', () => {
  it('leaves only the flags the editor did not tick', () => {
    const flags = check('Hyesan at 23:40');
    expect(flags.map((f) => f.key)).toEqual(['summaryEn|place|kp-hyesan', 'summaryEn|time|23:40']);
    expect(unconfirmedLeaks(flags, ['summaryEn|time|23:40', 'titleEn|place|kp-hyesan']).map((f) => f.key)).toEqual(['summaryEn|place|kp-hyesan']);
    expect(unconfirmedLeaks(flags, flags.map((f) => f.key))).toEqual([]);
  });

  it('has nothing to say about empty fields or plain text', () => {
    expect(check('')).toEqual([]);
    expect(check('Cars are parked near the river during the day. After sunset they start moving.')).toEqual([]);
  });
});

describe('the published text of rows is checked like the title (every free text a reader sees)', () => {
  const rows: PublishableRows = {
    vehicles: [
      { position: 1, vehicleType: 'truck', count: 3, isEstimate: false, direction: 'into_kp', colours: 'white, from the Hyesan depot', cargo: 'televisions' },
      { position: 2, vehicleType: 'car', count: 1, isEstimate: false, direction: 'out_of_kp', colours: 'silver', cargo: 'left at 23:40 with lumber' },
    ],
    goods: [
      { position: 1, categoryId: 'electronics', description: '혜산시장에서 산 TV', direction: 'into_kp', quantity: 20, unit: 'crates', value: null, currency: null },
      { position: 2, categoryId: 'clothing', description: 'coats', direction: 'into_kp', quantity: 3, unit: 'boxes by 23:10', value: null, currency: null },
    ],
    agencies: [
      { position: 1, agencyId: null, otherName: 'Musan customs brigade', role: 'protection' },
      { position: 2, agencyId: 'samjiyon', otherName: null, role: 'operator' },
      { position: 3, agencyId: 'retired-or-unknown', otherName: 'Onsong crew', role: 'buyer' },
    ],
  };
  const choices = {
    title: { en: 'Trucks at night', ko: '' },
    summary: { en: '', ko: '' },
    vehicleRows: [1, 2],
    goodsRows: [1, 2],
    agencyRows: [1, 2, 3],
    photos: [{ id: 7, caption: 'At the Hyesan bridge' }],
  };
  const flagsOf = (picked: Partial<typeof choices> = {}) =>
    findLeaks({
      fields: publicTextFields({ ...choices, ...picked }, rows, new Set(['samjiyon'])),
      gazetteer,
      placeCoarsening: 'province',
      timeCoarsening: 'day',
    }).map((flag) => flag.key);

  it('flags a place or a time in vehicle colours and cargo, goods descriptions and units, agencies named as typed, and captions', () => {
    expect(flagsOf()).toEqual([
      'vehicleRows-1-colours|place|kp-hyesan',
      'vehicleRows-2-cargo|time|23:40',
      'goodsRows-1-description|place|kp-hyesan',
      'goodsRows-2-unit|time|23:10',
      'agencyRows-1-otherName|place|kp-musan',
      'agencyRows-3-otherName|place|kp-onsong',
      'photoCaption-7|place|kp-hyesan',
    ]);
  });

  it('a row the editor left out is never published, so never flagged; a listed agency shows the list name, not the typed one', () => {
    expect(flagsOf({ vehicleRows: [], goodsRows: [2], agencyRows: [2], photos: [] })).toEqual(['goodsRows-2-unit|time|23:10']);
  });

  it('names each field by the row position the publish form ticks', () => {
    expect(publicTextFields({ ...choices, photos: [] }, rows, new Set(['samjiyon'])).map((f) => f.field)).toEqual([
      'titleEn', 'titleKo', 'summaryEn', 'summaryKo',
      'vehicleRows-1-colours', 'vehicleRows-1-cargo', 'vehicleRows-2-colours', 'vehicleRows-2-cargo',
      'goodsRows-1-description', 'goodsRows-1-unit', 'goodsRows-2-description', 'goodsRows-2-unit',
      'agencyRows-1-otherName', 'agencyRows-3-otherName',
    ]);
  });
});
