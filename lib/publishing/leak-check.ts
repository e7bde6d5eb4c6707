/**
 * Warn before a leak (issue 19 item 10): the public text an editor is about to publish — titles and
 * summaries in both languages, the free text of the rows that go public (colours, cargo, goods
 * descriptions and units, agencies named as typed), the captions of the photos that go public —
 * searched for what is
 * finer than the coarsening the editor chose. The prefilled text is the partner's, and it can name
 * "the Hyesan bridge" while the place shown is the province, or "23:40" while the time shown is the
 * day. Every such mention is a flag; the editor changes the text or confirms each flag
 * (publish.ts refuses to publish while one is unconfirmed). Pure: no database, no clock.
 *
 * Places: every gazetteer name (English or Korean, and the spellings the place search knows:
 * case, full-width letters, the South's initial-sound spelling — lib/places/search.ts) of a place
 * whose level is finer than the chosen coarsening (`PLACE_LEVEL_OF_KIND`). English names match as
 * whole words; Korean names at the start of a word with anything after them, since particles are
 * written attached (혜산에서, 혜산시). Times: clock times (23:40, 11 pm, 오후 11시, midnight) and
 * dates or weekdays (2018-06-03, June 3, 3 June, 6월 3일, Sunday, 일요일) finer than the chosen
 * time coarsening (`TIME_PRECISION_RANK`). A month alone ("June 2018") is never finer than any
 * choice. The search aids the editor's judgement; it cannot prove a text safe (a nickname, a
 * landmark or "the night of the storm" is not in any list).
 */
import type { PLACE_KINDS } from '@/db/enums';
import { toInitialSoundSpelling } from '@/lib/places/search';
import type { GazetteerPlace, PlaceCoarsening, TimeCoarsening } from './coarsen';
import { LEAK_KEY_MAX_CHARS } from './limits';
import { PUBLISHED_ROW_TEXTS, rowTextField } from './row-texts';
import type { PublishChoices, PublishingSource } from './snapshot';

type PlaceKind = (typeof PLACE_KINDS)[number];

/** How fine each coarsening is: a name of a place at a higher rank than the choice is a flag. */
export const PLACE_COARSENING_RANK: Record<PlaceCoarsening, number> = { country: 0, province: 1, county_or_city: 2, as_entered: 3 };

/**
 * The level a gazetteer place's name reveals. A river is at the country's level: the Amrok and
 * the Tuman run the whole border, so naming one says no more than "the border" (a river stretch's
 * own name differs from the river's only by its province's name, which is flagged on its own).
 */
export const PLACE_LEVEL_OF_KIND: Record<PlaceKind, PlaceCoarsening> = {
  province: 'province',
  city: 'county_or_city',
  county: 'county_or_city',
  crossing: 'as_entered',
  river: 'country',
};

/** How fine a mentioned time is, and how fine each time coarsening is (finer = lower). */
export const TIME_PRECISION_RANK = { minute: 0, hour: 1, day: 2, week: 3, month: 4 } as const satisfies Record<TimeCoarsening | 'minute', number>;

/** The precision of a mentioned clock time or date. */
export type TimePrecision = 'minute' | 'hour' | 'day';

/** One public text field: its form field name (`titleEn`, `summaryKo`, `photoCaption-12` …) and text. */
export type PublicTextField = { field: string; text: string };

/** A mention with a little of the text around it, for showing the flag next to its field. */
export type LeakContext = { before: string; match: string; after: string };

/**
 * One flag: a place or a time named in one field. `key` is stable across posts of the same text
 * (field, kind, and the place id or the time as written, folded), so a confirmation ticked on the
 * form names it. `found`: the first mention as written; `count`: how many mentions in the field.
 */
export type LeakFlag = {
  key: string;
  field: string;
  found: string;
  count: number;
  context: LeakContext;
} & (
  | { kind: 'place'; place: { id: string; nameEn: string; nameKo: string; level: PlaceCoarsening } }
  | { kind: 'time'; precision: TimePrecision }
);

export { LEAK_KEY_MAX_CHARS };

/**
 * One character at a time (so offsets stay those of the text): NFKC (full-width letters and
 * digits become ASCII) and lower case where that keeps the length. What time patterns read.
 */
function foldCase(text: string): string {
  let out = '';
  for (const char of text) {
    const folded = char.normalize('NFKC').toLowerCase();
    out += folded.length === char.length ? folded : char;
  }
  return out;
}

/**
 * `foldCase`, then the South's initial-sound spelling of word-initial Hangul syllables, as the
 * place search compares (offsets still those of the text). What place names are looked for in.
 */
function fold(text: string): string {
  return toInitialSoundSpelling(foldCase(text));
}

const HANGUL_SYLLABLE = /[\uAC00-\uD7A3]/u;
const KOREAN_SUFFIXES = ['구간', '도', '군', '시', '성'];
const ENGLISH_GENERIC = /\s+(province|county|city)$/iu;

/**
 * The spellings of a gazetteer place that text may use: each name as written, its parts in and
 * before brackets or before a comma ("Amrok-gang (Yalu River)" → "Amrok-gang", "Yalu River"), an
 * English name without "Province", "County" or "City", a Korean name without 도, 군, 시, 성 or
 * 구간 when two syllables are left (김정숙군 → 김정숙, 량강도 → 량강), and an apostrophe dropped
 * (Ji'an → Jian). Folded as `fold` folds text; three characters at least (two for Korean).
 */
export function placeNameVariants(place: Pick<GazetteerPlace, 'nameEn' | 'nameKo'>): string[] {
  const variants = new Set<string>();
  const add = (raw: string) => {
    const name = fold(raw.normalize('NFC').replace(/\s+/gu, ' ').trim());
    const isKorean = HANGUL_SYLLABLE.test(name);
    if ([...name].length >= (isKorean ? 2 : 3)) variants.add(name);
  };
  for (const full of [place.nameEn, place.nameKo]) {
    const parts = [full, ...full.split(/[(),]/u)].map((part) => part.trim()).filter((part) => part !== '');
    for (const part of parts) {
      add(part);
      add(part.replace(/['’]/gu, ''));
      if (ENGLISH_GENERIC.test(part)) add(part.replace(ENGLISH_GENERIC, ''));
      for (const suffix of KOREAN_SUFFIXES) {
        if (part.endsWith(suffix) && [...part.slice(0, -suffix.length).trim()].length >= 2) add(part.slice(0, -suffix.length));
      }
    }
  }
  return [...variants];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** A regular expression finding one folded name in folded text, at word boundaries (see the module doc). */
function nameRegExp(variant: string): RegExp {
  const body = [...variant]
    .map((char) => {
      if (/\s/u.test(char)) return '\\s+';
      if (/[-‐‑–—]/u.test(char)) return '[-‐‑–—\\s]?';
      if (/['’]/u.test(char)) return "['’]?";
      return escapeRegExp(char);
    })
    .join('');
  const isKorean = HANGUL_SYLLABLE.test(variant);
  // Korean particles and endings are written attached (혜산에서): only the start is a boundary.
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${isKorean ? '' : '(?![\\p{Script=Latin}\\p{N}])'}`, 'gu');
}

type Mention = { start: number; end: number; id: string } & (
  | { kind: 'place'; place: GazetteerPlace & { level: PlaceCoarsening } }
  | { kind: 'time'; precision: TimePrecision; folded: string }
);

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY_OF_MONTH = '(?:0?[1-9]|[12]\\d|3[01])';
const AM_PM = "(?:a\\.?m\\.?|p\\.?m\\.?)(?![\\p{L}])";
const HOUR_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';

/** Patterns of clock times and dates in folded text, each with the precision it reveals. */
const TIME_PATTERNS: { pattern: RegExp; precision: (match: RegExpExecArray) => TimePrecision }[] = [
  // 23:40, 7:05 pm, 23:40:10
  { pattern: new RegExp(`(?<![\\p{N}:.])(?:[01]?\\d|2[0-3])\\s?:\\s?[0-5]\\d(?::[0-5]\\d)?(?!\\d)(?:\\s*${AM_PM})?`, 'gu'), precision: () => 'minute' },
  // 11 pm, 11pm, 11 p.m., 11 o'clock, eleven o'clock
  {
    pattern: new RegExp(`(?<![\\p{N}:.])(?:1[0-2]|0?[1-9])\\s*(?:${AM_PM}|o['’]clock)|(?<![\\p{L}])(?:${HOUR_WORDS})\\s+o['’]clock`, 'gu'),
    precision: () => 'hour',
  },
  // midnight, noon, 자정, 정오
  { pattern: /(?<![\p{L}])(?:midnight|noon|midday)(?![\p{L}])|자정|정오/gu, precision: () => 'hour' },
  // 오후 11시, 23시 40분, 새벽 3시 반 (not 3시간, "three hours")
  {
    pattern: /(?:(?:오전|오후|새벽|아침|저녁|밤|낮)\s*)?(?<!\p{N})(?:[01]?\d|2[0-4])\s*시(?!간)(\s*(?:[0-5]?\d\s*분|반))?/gu,
    precision: (match) => (match[1] ? 'minute' : 'hour'),
  },
  // 2018-06-03, 2018/6/3, 2018. 6. 3
  {
    pattern: new RegExp(`(?<!\\p{N})(?:19|20)\\d{2}\\s*[-./]\\s*(?:0?[1-9]|1[0-2])\\s*[-./]\\s*${DAY_OF_MONTH}(?!\\p{N})`, 'gu'),
    precision: () => 'day',
  },
  // June 3, June 3rd, June 3, 2018
  { pattern: new RegExp(`(?<![\\p{L}])${MONTH}\\s+(?:the\\s+)?${DAY_OF_MONTH}(?:st|nd|rd|th)?(?![\\p{L}\\p{N}])`, 'gu'), precision: () => 'day' },
  // 3 June, 3rd of June
  { pattern: new RegExp(`(?<!\\p{N})${DAY_OF_MONTH}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?![\\p{L}])`, 'gu'), precision: () => 'day' },
  // 6월 3일, 2018년 6월 3일
  { pattern: new RegExp(`(?<!\\p{N})(?:\\d{4}\\s*년\\s*)?(?:0?[1-9]|1[0-2])\\s*월\\s*${DAY_OF_MONTH}\\s*일`, 'gu'), precision: () => 'day' },
  // Sunday, Sundays, 일요일
  { pattern: /(?<![\p{L}])(?:mon|tues|wednes|thurs|fri|satur|sun)days?(?![\p{L}])|[월화수목금토일]요일/gu, precision: () => 'day' },
];

/** A compiled gazetteer: each place's name patterns. Build once per check (see `findLeaks`). */
type CompiledPlace = { place: GazetteerPlace; level: PlaceCoarsening; patterns: RegExp[] };

function compileGazetteer(gazetteer: readonly GazetteerPlace[]): CompiledPlace[] {
  return gazetteer.map((place) => ({
    place,
    level: PLACE_LEVEL_OF_KIND[place.kind],
    patterns: placeNameVariants(place).map(nameRegExp),
  }));
}

function mentionsIn(text: string, places: CompiledPlace[], placeCoarsening: PlaceCoarsening, timeCoarsening: TimeCoarsening): Mention[] {
  const found: Mention[] = [];
  const folded = fold(text);
  const chosenPlace = PLACE_COARSENING_RANK[placeCoarsening];
  for (const { place, level, patterns } of places) {
    if (PLACE_COARSENING_RANK[level] <= chosenPlace) continue;
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(folded); match; match = pattern.exec(folded)) {
        found.push({ start: match.index, end: match.index + match[0].length, id: place.id, kind: 'place', place: { ...place, level } });
      }
    }
  }
  const chosenTime = TIME_PRECISION_RANK[timeCoarsening];
  // Times in the text as written (only case folded): the initial-sound rule would turn 2018년 into 2018연.
  const cased = foldCase(text);
  for (const { pattern, precision } of TIME_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(cased); match; match = pattern.exec(cased)) {
      const fineness = precision(match);
      if (TIME_PRECISION_RANK[fineness] >= chosenTime) continue;
      const text = match[0].replace(/\s+/gu, ' ').trim();
      found.push({ start: match.index, end: match.index + match[0].length, id: text, kind: 'time', precision: fineness, folded: text });
    }
  }
  // A mention inside a longer one is the same words ("Hyesan" in "Changbai–Hyesan International Bridge").
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  return found.filter((mention, i) => !found.some((other, j) => j !== i && other.start <= mention.start && other.end >= mention.end && (other.end - other.start > mention.end - mention.start || j < i)));
}

const CONTEXT_CHARS = 30;

function contextOf(text: string, start: number, end: number): LeakContext {
  const before = text.slice(Math.max(0, start - CONTEXT_CHARS), start);
  const after = text.slice(end, end + CONTEXT_CHARS);
  return {
    before: start > CONTEXT_CHARS ? `…${before.trimStart()}` : before,
    match: text.slice(start, end),
    after: end + CONTEXT_CHARS < text.length ? `${after.trimEnd()}…` : after,
  };
}

/**
 * Every flag in `fields` for the chosen coarsening, in field order, then by first mention.
 * `gazetteer`: every place, retired or not (an old name identifies as well as a current one).
 * Texts are compared as NFC; a field's flags are one per place (its id) or per time as written.
 * At `as_entered` no place is flagged (no level is finer); at `hour` only minutes are.
 */
export function findLeaks({
  fields,
  gazetteer,
  placeCoarsening,
  timeCoarsening,
}: {
  fields: readonly PublicTextField[];
  gazetteer: readonly GazetteerPlace[];
  placeCoarsening: PlaceCoarsening;
  timeCoarsening: TimeCoarsening;
}): LeakFlag[] {
  const places = compileGazetteer(gazetteer);
  const flags: LeakFlag[] = [];
  for (const { field, text: raw } of fields) {
    const text = raw.normalize('NFC');
    if (text.trim() === '') continue;
    const byKey = new Map<string, LeakFlag>();
    for (const mention of mentionsIn(text, places, placeCoarsening, timeCoarsening)) {
      const key = `${field}|${mention.kind}|${mention.id}`.slice(0, LEAK_KEY_MAX_CHARS);
      const existing = byKey.get(key);
      if (existing) {
        existing.count += 1;
        continue;
      }
      const common = { key, field, found: text.slice(mention.start, mention.end), count: 1, context: contextOf(text, mention.start, mention.end) };
      byKey.set(
        key,
        mention.kind === 'place'
          ? { ...common, kind: 'place', place: { id: mention.place.id, nameEn: mention.place.nameEn, nameKo: mention.place.nameKo, level: mention.place.level } }
          : { ...common, kind: 'time', precision: mention.precision },
      );
    }
    flags.push(...byKey.values());
  }
  return flags;
}

/** The flags not named in `confirmed` (the keys the editor ticked). */
export function unconfirmedLeaks(flags: readonly LeakFlag[], confirmed: readonly string[]): LeakFlag[] {
  const ticked = new Set(confirmed);
  return flags.filter((flag) => !ticked.has(flag.key));
}

export { PUBLISHED_ROW_TEXTS, rowTextField };

/** The report rows a publication may show, as publishing reads them (lib/publishing/editor-view.ts). */
export type PublishableRows = Pick<PublishingSource, 'vehicles' | 'goods' | 'agencies'>;

/**
 * The public text of a publication as fields to check — every free text a reader can see on the
 * public page, in the feed and in the exports (app/_components/public-report-view.tsx,
 * lib/publishing/export-rows.ts, exports.ts), in the order the publish form shows them: `titleEn`,
 * `titleKo`, `summaryEn`, `summaryKo`; then the text of each row that goes public —
 * `vehicleRows-<position>-colours` and `-cargo`, `goodsRows-<position>-description` and `-unit`,
 * `agencyRows-<position>-otherName` for an agency named as typed (not in the managed list, whose
 * names are the newsroom's own); then `photoCaption-<id>` of each photo that goes public. A row or
 * photo the editor left out is never published, so never flagged; agency-row notes, the place
 * detail and the time note are never published at all (snapshot.ts).
 * @param listedAgencyIds ids of the managed agency list (a row naming one shows the list's name)
 */
export function publicTextFields(
  choices: Pick<PublishChoices, 'title' | 'summary' | 'photos' | 'vehicleRows' | 'goodsRows' | 'agencyRows'>,
  rows: PublishableRows,
  listedAgencyIds: ReadonlySet<string>,
): PublicTextField[] {
  const chosen = <T extends { position: number }>(list: readonly T[], positions: readonly number[]) => {
    const wanted = new Set(positions);
    return list.filter((row) => wanted.has(row.position)).sort((a, b) => a.position - b.position);
  };
  const rowFields: PublicTextField[] = [
    ...chosen(rows.vehicles, choices.vehicleRows).flatMap((row) =>
      PUBLISHED_ROW_TEXTS.vehicleRows.map((part) => ({ field: rowTextField('vehicleRows', row.position, part), text: row[part] })),
    ),
    ...chosen(rows.goods, choices.goodsRows).flatMap((row) =>
      PUBLISHED_ROW_TEXTS.goodsRows.map((part) => ({ field: rowTextField('goodsRows', row.position, part), text: row[part] ?? '' })),
    ),
    ...chosen(rows.agencies, choices.agencyRows).flatMap((row) =>
      row.agencyId !== null && listedAgencyIds.has(row.agencyId) ? [] : [{ field: rowTextField('agencyRows', row.position, 'otherName'), text: row.otherName ?? '' }],
    ),
  ];
  return [
    { field: 'titleEn', text: choices.title.en },
    { field: 'titleKo', text: choices.title.ko },
    { field: 'summaryEn', text: choices.summary.en },
    { field: 'summaryKo', text: choices.summary.ko },
    ...rowFields,
    ...(choices.photos ?? []).map((photo) => ({ field: `photoCaption-${photo.id}`, text: photo.caption })),
  ];
}
