/**
 * The moderation queue's text search, its pure half (issue 19, "Find"): the search text as terms,
 * the FTS5 query they make, and the snippet that shows a hit in context. The index itself is the
 * table `report_search` (migration 0014_report_search, docs/decisions/0012-queue-search.md); the
 * queries are in lib/review/queue.ts.
 *
 * Rules:
 * - Text is NFC-normalised here and in the index, so a name typed composed (혜산, U+D61C U+C0B0)
 *   finds one stored decomposed (ᄒ ᅨ ᄉ ᅡ ᆫ) and the other way round.
 * - Words (split at white space) must all occur, each anywhere in the report, as a part of a word:
 *   the trigram tokenizer indexes every 3 characters, so "bridg" finds "bridge" and 혜산시 finds
 *   "혜산시장". Case does not matter (FTS5 trigram's default, and the snippet's `iu` match).
 * - A search looks at a bounded set of reports, its scope (SEARCH_SCOPE_SIZE; budget 2c of
 *   bench/README.md): the newest SEARCH_SCOPE_SIZE reports whose text holds every word of 3 or more
 *   characters, or, when every word is shorter, the newest SEARCH_SCOPE_SIZE reports past draft.
 *   Filters, ranking, counts and bulk actions work within the scope; the queue says when the scope
 *   left reports out (`searchScopeNotice`), so an editor knows to add a word.
 * - A word of 1 or 2 characters cannot be looked up in a trigram index (혜산, a 2-syllable place
 *   name, is one): it is matched with LIKE over the text of the scope's documents only, never by a
 *   scan of every document.
 */

/** The indexed parts of a report, in the order a snippet looks for a hit (columns of report_search). */
export const SEARCH_FIELDS = ['title', 'narrative', 'placeDetail', 'timeNote', 'rowNotes', 'messages', 'notes'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** The report_search column of each field. */
export const SEARCH_COLUMNS: Record<SearchField, string> = {
  title: 'title',
  narrative: 'narrative',
  placeDetail: 'place_detail',
  timeNote: 'time_note',
  rowNotes: 'row_notes',
  messages: 'messages',
  notes: 'notes',
};

/** Most words one search uses (the rest are ignored). */
export const SEARCH_MAX_TERMS = 8;

/** Shortest word the trigram index can look up, in characters (Unicode code points). */
export const TRIGRAM_MIN_LENGTH = 3;

/**
 * Most reports one search looks at (its scope; see the module doc). Ranking, the status tabs'
 * counts and the filters cost time in proportion to the scope, not to the size of the queue.
 */
export const SEARCH_SCOPE_SIZE = 1000;

/**
 * What the queue says about a search's scope: 'capped' when more than SEARCH_SCOPE_SIZE reports
 * hold the words of 3+ characters (only the newest are searched); 'shortWordsNewest' when every
 * word is shorter than TRIGRAM_MIN_LENGTH and the queue holds more than SEARCH_SCOPE_SIZE reports
 * (only the newest are looked through); null when the search covered every report.
 */
export type SearchScopeNotice = 'capped' | 'shortWordsNewest' | null;

/**
 * The notice for a search with `terms` whose candidate list held `candidates` ids when asked for
 * SEARCH_SCOPE_SIZE + 1 (pure; lib/review/queue.ts reads the candidates).
 */
export function searchScopeNotice(terms: readonly string[], candidates: number): SearchScopeNotice {
  if (terms.length === 0 || candidates <= SEARCH_SCOPE_SIZE) return null;
  return terms.some(isIndexedTerm) ? 'capped' : 'shortWordsNewest';
}

/** The search text's words: NFC, split at white space, duplicates (ignoring case) dropped, at most SEARCH_MAX_TERMS. */
export function searchTerms(text: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const word of text.normalize('NFC').split(/\s+/u)) {
    if (word === '' || seen.has(word.toLowerCase())) continue;
    seen.add(word.toLowerCase());
    terms.push(word);
    if (terms.length === SEARCH_MAX_TERMS) break;
  }
  return terms;
}

/** True when the trigram index can look the word up (≥ TRIGRAM_MIN_LENGTH characters). */
export function isIndexedTerm(term: string): boolean {
  return [...term].length >= TRIGRAM_MIN_LENGTH;
}

/**
 * The FTS5 MATCH expression of the indexed words: each a quoted string (its `"` doubled, so no word
 * is read as FTS5 syntax), joined by spaces (FTS5's implicit AND). Null when no word is long enough.
 */
export function matchExpression(terms: readonly string[]): string | null {
  const indexed = terms.filter(isIndexedTerm);
  return indexed.length === 0 ? null : indexed.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
}

/** A LIKE pattern that finds `term` anywhere, with `\`, `%` and `_` escaped (use ESCAPE '\'). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One piece of a snippet: text as stored, and whether it is (part of) a hit. */
export type SnippetPart = { text: string; isHit: boolean };

/** Where a search hit a report, and the hit in context. */
export type SearchSnippet = { field: SearchField; parts: SnippetPart[] };

/** Characters of context kept on each side of the first hit. */
export const SNIPPET_CONTEXT = 40;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The field holding the most of the terms (the first in SEARCH_FIELDS order among equals: "Paid
 * per truck" shows the agency note that says it, not a title with "trucks"), cut to
 * SNIPPET_CONTEXT characters around its first hit ("…" where text was cut, line breaks as spaces),
 * every hit in the window marked. Plain text: the caller renders parts as text nodes, never as HTML.
 * @param fields the report's indexed text (NFC), a field missing or '' is skipped
 * @returns null when no field holds a term (e.g. a hit the index found through case folding the
 *   snippet's `iu` match does not share)
 */
export function searchSnippet(fields: Partial<Record<SearchField, string>>, terms: readonly string[]): SearchSnippet | null {
  if (terms.length === 0) return null;
  const sorted = [...terms].map((t) => t.normalize('NFC')).sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'giu');
  const textOf = (field: SearchField) => (fields[field] ?? '').normalize('NFC').replace(/\s+/gu, ' ');
  // How many of the terms a field holds (case folded as the pattern is).
  const termsIn = (text: string) => new Set([...text.matchAll(pattern)].map((hit) => hit[0].toLocaleLowerCase())).size;
  let best: { field: SearchField; count: number } | null = null;
  for (const field of SEARCH_FIELDS) {
    const count = termsIn(textOf(field));
    if (count > (best?.count ?? 0)) best = { field, count };
  }
  if (!best) return null;
  const { field } = best;
  const text = textOf(field);
  pattern.lastIndex = 0;
  const first = pattern.exec(text)!;
  const start = Math.max(0, first.index - SNIPPET_CONTEXT);
  const end = Math.min(text.length, first.index + first[0].length + SNIPPET_CONTEXT);
  const window = text.slice(start, end);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: '…', isHit: false });
  let at = 0;
  pattern.lastIndex = 0;
  for (let hit = pattern.exec(window); hit; hit = pattern.exec(window)) {
    if (hit[0] === '') break;
    if (hit.index > at) parts.push({ text: window.slice(at, hit.index), isHit: false });
    parts.push({ text: hit[0], isHit: true });
    at = hit.index + hit[0].length;
  }
  if (at < window.length) parts.push({ text: window.slice(at), isHit: false });
  if (end < text.length) parts.push({ text: '…', isHit: false });
  return { field, parts };
}
