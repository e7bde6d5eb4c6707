/**
 * Gazetteer search text matching, shared by the server (lib/places/gazetteer.ts) and the report
 * form's in-place filter in the browser. Pure and tiny: no imports.
 *
 * Hangul can arrive composed (NFC: '혜산', one code point per syllable) or decomposed (NFD:
 * conjoining jamo, as some Mac and Linux input methods send it). Both sides are normalised with
 * NFKC — which composes jamo into syllables and also folds full-width Latin letters and digits —
 * then lower-cased, so '혜산' typed either way, 'HYESAN' and 'ｈｙｅｓａｎ' all find Hyesan.
 *
 * North and South Korean spellings differ at the start of a word: the gazetteer writes the North's
 * 량강도 (Ryanggang), a partner with a South Korean keyboard habit types 양강도. Both sides are
 * also compared in the South's spelling ({@link toInitialSoundSpelling}), so either finds the other.
 *
 * A place also matches through the places it lies in (`ancestorNames`): 'Yanggang' finds Hyesan,
 * Samjiyon and the province's counties, not only the province itself.
 */

/**
 * The form of a name or a query that matching compares: NFKC, lower-case (locale-independent),
 * runs of whitespace collapsed to one space, trimmed.
 */
export function normaliseSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

// Hangul syllables (U+AC00–U+D7A3) are composed arithmetically:
// 0xAC00 + (initial × 21 + medial) × 28 + final (The Unicode Standard, §3.12 "Conjoining Jamo Behavior").
const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const MEDIALS = 21;
const FINALS = 28;
const INITIAL_NIEUN = 2; // ㄴ
const INITIAL_RIEUL = 5; // ㄹ
const INITIAL_IEUNG = 11; // ㅇ
// Medial vowel indexes: ㅏ0 ㅐ1 ㅑ2 ㅕ6 ㅖ7 ㅗ8 ㅚ11 ㅛ12 ㅜ13 ㅠ17 ㅡ18 ㅣ20.
/** Korean Orthography art. 11: word-initial 랴 려 례 료 류 리 are written 야 여 예 요 유 이 (ㄹ → ㅇ). */
const RIEUL_TO_IEUNG = new Set([2, 6, 7, 12, 17, 20]);
/** Art. 12: word-initial 라 래 로 뢰 루 르 are written 나 내 노 뇌 누 느 (ㄹ → ㄴ). */
const RIEUL_TO_NIEUN = new Set([0, 1, 8, 11, 13, 18]);
/** Art. 10: word-initial 녀 뇨 뉴 니 are written 여 요 유 이 (ㄴ → ㅇ). */
const NIEUN_TO_IEUNG = new Set([6, 12, 17, 20]);

function isHangulSyllable(code: number): boolean {
  return code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST;
}

/** One syllable in the South's word-initial spelling (unchanged when the rule does not apply). */
function initialSoundOf(syllable: string): string {
  const offset = syllable.charCodeAt(0) - SYLLABLE_FIRST;
  const initial = Math.floor(offset / (MEDIALS * FINALS));
  const medial = Math.floor(offset / FINALS) % MEDIALS;
  const final = offset % FINALS;
  let next = initial;
  if (initial === INITIAL_RIEUL && RIEUL_TO_IEUNG.has(medial)) next = INITIAL_IEUNG;
  else if (initial === INITIAL_RIEUL && RIEUL_TO_NIEUN.has(medial)) next = INITIAL_NIEUN;
  else if (initial === INITIAL_NIEUN && NIEUN_TO_IEUNG.has(medial)) next = INITIAL_IEUNG;
  return next === initial ? syllable : String.fromCharCode(SYLLABLE_FIRST + (next * MEDIALS + medial) * FINALS + final);
}

/**
 * A text in the South Korean spelling of word-initial sounds (두음법칙, "the initial-sound rule"):
 * the first syllable of every word — at the start, or after anything that is not a Hangul
 * syllable (a space, a hyphen, a bracket) — loses the initial ㄹ or ㄴ the North writes:
 * 량강도 → 양강도, 로동 → 노동, 리 → 이, 녀성 → 여성. Syllables inside a word keep theirs (압록강).
 *
 * Source: 한글 맞춤법 (Korean Orthography, Ministry of Education notice 88-1, 1988), chapter 3,
 * section 5 "두음 법칙", articles 10–12; North Korea's 조선말규범집 (1987/2010) does not apply the
 * rule, hence the two spellings. The rule is applied to every syllable with those sounds, whatever
 * its origin (the articles speak of Sino-Korean readings; place names are): a search aid, not a
 * transliteration. Expects NFC or NFKC text (decomposed jamo are left alone).
 */
export function toInitialSoundSpelling(text: string): string {
  let out = '';
  let isWordStart = true;
  for (const char of text) {
    const code = char.charCodeAt(0);
    const isSyllable = isHangulSyllable(code);
    out += isSyllable && isWordStart ? initialSoundOf(char) : char;
    isWordStart = !isSyllable;
  }
  return out;
}

/** A gazetteer entry as search sees it: its own names, and the names of the places it lies in. */
export type SearchablePlace = {
  nameEn: string;
  nameKo: string;
  /** English and Korean names of its parent, grandparent, … (empty or absent at the top level). */
  ancestorNames?: readonly string[];
};

/**
 * Whether a gazetteer entry matches a query typed by a partner: the normalised query is a
 * substring of the entry's English or Korean name or of an ancestor's name, as written or with
 * both sides in the South's initial-sound spelling ({@link toInitialSoundSpelling}). An empty
 * query matches everything. Plain substring matching, never a pattern: '%', '_' and regex
 * characters match themselves.
 */
export function matchesPlaceQuery(entry: SearchablePlace, query: string): boolean {
  const needle = normaliseSearchText(query);
  if (needle === '') return true;
  const southNeedle = toInitialSoundSpelling(needle);
  const names = [entry.nameEn, entry.nameKo, ...(entry.ancestorNames ?? [])];
  return names.some((name) => {
    const haystack = normaliseSearchText(name);
    return haystack.includes(needle) || toInitialSoundSpelling(haystack).includes(southNeedle);
  });
}
