/**
 * Gazetteer search text matching, shared by the server (lib/places/gazetteer.ts) and the report
 * form's in-place filter in the browser. Pure and tiny: no imports.
 *
 * Hangul can arrive composed (NFC: '혜산', one code point per syllable) or decomposed (NFD:
 * conjoining jamo, as some Mac and Linux input methods send it). Both sides are normalised with
 * NFKC — which composes jamo into syllables and also folds full-width Latin letters and digits —
 * then lower-cased, so '혜산' typed either way, 'HYESAN' and 'ｈｙｅｓａｎ' all find Hyesan.
 */

/**
 * The form of a name or a query that matching compares: NFKC, lower-case (locale-independent),
 * runs of whitespace collapsed to one space, trimmed.
 */
export function normaliseSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Whether a gazetteer entry matches a query typed by a partner: the normalised query is a
 * substring of the normalised English or Korean name. An empty query matches everything.
 * Plain substring matching, never a pattern: '%', '_' and regex characters match themselves.
 */
export function matchesPlaceQuery(entry: { nameEn: string; nameKo: string }, query: string): boolean {
  const needle = normaliseSearchText(query);
  if (needle === '') return true;
  return normaliseSearchText(entry.nameEn).includes(needle) || normaliseSearchText(entry.nameKo).includes(needle);
}
