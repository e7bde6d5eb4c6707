import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { catchUpSearchIndex, closeDb, getDb, getSqlite, SEARCH_INDEX_DELAY_MS, SEARCH_INDEX_STEP, writeTransaction } from '@/db/client';
import { mergeSearchIndex } from '@/db/search-index';
import { reports } from '@/db/schema';
import { postMessage } from '@/lib/messages/thread';
import { deleteDraft, saveDraft } from '@/lib/reports/drafts';
import { submitReport } from '@/lib/reports/submit';
import { createTestAccount, type TestAccount } from '@/lib/testing/accounts';
import { correctAsEditor, freshDemoReportValues, insertReviewReport, sendBackForChanges } from '@/lib/testing/reports';
import { postEditorMessage } from './notes';
import { describeSearchScope, listQueue, snapshotQueueMatch } from './queue';
import { EMPTY_QUEUE_FILTERS, parseQueueParams, queueSearchParams, type QueueCursor, type QueueFilters } from './schema';
import { containsPattern, matchExpression, SEARCH_SCOPE_SIZE, searchScopeNotice, searchSnippet, searchTerms } from './search';

let editor: TestAccount<'editor'>;
let partner: TestAccount;

beforeAll(() => {
  editor = createTestAccount('editor');
  partner = createTestAccount('partner', 'search-partner');
});

/** A word no other report holds (letters only, so the trigram index and LIKE treat it alike). */
function uniqueWord(prefix: string): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  return `${prefix}${letters}`;
}

function search(q: string, filters: Partial<QueueFilters> = {}, actor: TestAccount = editor): number[] {
  const result = listQueue({ actor, filters: { ...EMPTY_QUEUE_FILTERS, sort: 'relevance', ...filters, q }, pageSize: 200 });
  if (!result.ok) throw new Error(result.messageKey);
  return result.rows.map((r) => r.id);
}

function indexedText(reportId: number): Record<string, string> | undefined {
  return getDb().get<Record<string, string>>(sql`SELECT title, narrative, place_detail, time_note, row_notes, messages, notes FROM report_search WHERE rowid = ${reportId}`);
}

function pendingReports(): number[] {
  return getDb().all<{ id: number }>(sql`SELECT report_id AS id FROM report_search_pending`).map((r) => r.id);
}

function submitWith(overrides: Partial<ReturnType<typeof freshDemoReportValues>>): number {
  const values = { ...freshDemoReportValues(0), ...overrides };
  const done = submitReport({ actor: partner, values });
  if (!done.ok) throw new Error(`submit refused: ${JSON.stringify(done)}`);
  return done.reportId;
}

/**
 * Runs `body` on a fake clock for the catch-up's timer and steps, from a closed connection: closing
 * disarms a catch-up an earlier test armed with the real clock (the next call opens afresh).
 */
function onFakeClock(body: () => void): void {
  closeDb();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
  try {
    body();
  } finally {
    vi.useRealTimers();
  }
}

describe('the search index follows every write: noted in its transaction, taken up after it', () => {
  it('a submission is noted as it commits, and its document written a second later, one transaction for every write meanwhile', () => {
    onFakeClock(() => {
      const [first, second] = [uniqueWord('one'), uniqueWord('two')];
      const a = submitWith({ title: `Trucks ${first}` });
      const b = submitWith({ title: `Trucks ${second}` });
      // Committed and answered: the report is safe; its document is not written yet.
      expect(pendingReports()).toEqual([a, b]);
      expect(indexedText(a)).toBeUndefined();
      vi.advanceTimersByTime(SEARCH_INDEX_DELAY_MS - 1);
      expect(pendingReports()).toEqual([a, b]);
      vi.advanceTimersByTime(1);
      expect(pendingReports()).toEqual([]);
      expect(indexedText(a)?.title).toBe(`Trucks ${first}`);
      expect(indexedText(b)?.title).toBe(`Trucks ${second}`);
    });
  });

  it('the background catch-up takes the noted reports up in steps of SEARCH_INDEX_STEP, one transaction each, until none is left', () => {
    onFakeClock(() => {
      const ids = Array.from({ length: SEARCH_INDEX_STEP + 5 }, (_, i) => submitWith({ title: `Step ${i} ${uniqueWord('stp')}` }));
      expect(pendingReports()).toEqual(ids);
      // One step by hand: the first SEARCH_INDEX_STEP by id.
      expect(catchUpSearchIndex(SEARCH_INDEX_STEP)).toBe(SEARCH_INDEX_STEP);
      expect(pendingReports()).toEqual(ids.slice(SEARCH_INDEX_STEP));
      // The timer's steps take up the rest.
      vi.advanceTimersByTime(SEARCH_INDEX_DELAY_MS);
      expect(pendingReports()).toEqual([]);
      expect(ids.every((id) => indexedText(id)?.title?.startsWith('Step '))).toBe(true);
    });
  });

  it("merges the index's segments in the background steps, a few pages a step, until nothing is left to merge; FTS5's own merges are off", () => {
    // Migration 0016: no COMMIT merges segments by itself (the 25–85 ms stalls of decision 0018).
    expect(getDb().get<{ v: number }>(sql`SELECT v FROM report_search_config WHERE k = 'automerge'`)?.v).toBe(0);
    const segments = () => getDb().get<{ n: number }>(sql`SELECT count(DISTINCT segid) AS n FROM report_search_idx`)!.n;
    onFakeClock(() => {
      // Six reports, each indexed in a catch-up of its own: six segments, left as they are.
      const words = Array.from({ length: 6 }, () => uniqueWord('mrg'));
      const ids = words.map((word) => {
        const id = submitWith({ title: `Merged ${word}` });
        catchUpSearchIndex();
        return id;
      });
      const before = segments();
      expect(before).toBeGreaterThanOrEqual(6);
      // The timer the submissions armed: nothing is noted any more, so its steps only merge.
      vi.advanceTimersByTime(SEARCH_INDEX_DELAY_MS - 1);
      expect(segments()).toBe(before);
      // Its steps, each after the requests waiting (setImmediate), until one finds nothing to merge:
      // the chain ends (runAllTimers gives up on a chain that never does).
      vi.runAllTimers();
      expect(segments()).toBeLessThan(before);
      expect(vi.getTimerCount()).toBe(0);
      expect(writeTransaction(() => mergeSearchIndex(getSqlite()))).toBe(false);
      // Every report is found as before.
      words.forEach((word, i) => expect(search(word)).toEqual([ids[i]]));
    });
  });

  it('a step waiting when the database is closed does not run, and never opens it again', () => {
    onFakeClock(() => {
      const ids = Array.from({ length: SEARCH_INDEX_STEP * 2 }, (_, i) => submitWith({ title: `Closed ${i}` }));
      vi.advanceTimersToNextTimer(); // the delay: the first step runs, the second waits
      expect(pendingReports()).toEqual(ids.slice(SEARCH_INDEX_STEP));
      closeDb();
      vi.runAllTimers();
      expect((globalThis as { __fieldReportsDb?: unknown }).__fieldReportsDb).toBeUndefined();
      // Opened again by the test itself: the rest is still noted, for the next catch-up.
      expect(pendingReports()).toEqual(ids.slice(SEARCH_INDEX_STEP));
    });
  });

  it('a submitted report is found by its title, narrative, place detail, time note and row notes', () => {
    const [title, narrative, detail, note, cargo] = ['ttl', 'nar', 'det', 'tim', 'crg'].map(uniqueWord) as [string, string, string, string, string];
    const values = freshDemoReportValues(0);
    const id = submitWith({
      title: `Trucks ${title}`,
      narrative: `They came at night. ${narrative} was seen.`,
      placeDetail: `near ${detail}`,
      timeNote: `after ${note}`,
      vehicles: values.vehicles.map((row, i) => (i === 0 ? { ...row, cargo: `sacks of ${cargo}` } : row)),
    });
    // Found at once: a search takes up what was noted before it reads the index.
    for (const word of [title, narrative, detail, note, cargo]) expect(search(word)).toEqual([id]);
    expect(pendingReports()).toEqual([]);
    expect(indexedText(id)?.row_notes).toContain(`sacks of ${cargo}`);
  });

  it('a write made outside the app\'s transactions (a script, an import) is taken up before the next search', () => {
    const word = uniqueWord('script');
    const id = insertReviewReport({ authorId: partner.id, title: 'Before the script' });
    getDb().update(reports).set({ title: `Imported ${word}` }).where(eq(reports.id, id)).run();
    expect(pendingReports()).toEqual([id]);
    expect(search(word)).toEqual([id]);
    expect(pendingReports()).toEqual([]);
  });

  it('a draft is not searchable; submitting it makes it so; deleting a draft leaves nothing in the index', async () => {
    const word = uniqueWord('draft');
    const values = { ...freshDemoReportValues(0), title: `Draft ${word}` };
    const saved = saveDraft({ actor: partner, values });
    if (!saved.ok) throw new Error('draft refused');
    expect(search(word)).toEqual([]);
    expect(indexedText(saved.reportId)).toBeUndefined();
    const done = submitReport({ actor: partner, values });
    if (!done.ok) throw new Error('submit refused');
    expect(search(word)).toEqual([saved.reportId]);

    const other = uniqueWord('gone');
    const draft = saveDraft({ actor: partner, values: { ...freshDemoReportValues(0), title: `Gone ${other}` } });
    if (!draft.ok) throw new Error('draft refused');
    expect(await deleteDraft({ actor: partner, reportId: draft.reportId })).toEqual({ ok: true });
    expect(indexedText(draft.reportId)).toBeUndefined();
    expect(search(other)).toEqual([]);
  });

  it("an editor's correction replaces the old text in the index", () => {
    const [before, after] = [uniqueWord('old'), uniqueWord('new')];
    const id = submitWith({ narrative: `Seen by ${before}.` });
    correctAsEditor(editor, id, (v) => ({ ...v, narrative: `Seen by ${after}.` }));
    expect(search(after)).toEqual([id]);
    expect(search(before)).toEqual([]);
  });

  it("messages both ways and internal notes are searchable; a partner's resubmission is indexed", () => {
    const [asked, replied, noted, resubmitted] = ['ask', 'rep', 'not', 'res'].map(uniqueWord) as [string, string, string, string];
    const values = freshDemoReportValues(0);
    const id = submitWith(values);
    sendBackForChanges(editor, id, `Which ${asked}?`);
    expect(search(asked)).toEqual([id]);
    expect(postMessage({ actor: partner, reportId: id, input: { body: `It was ${replied}.` } }).ok).toBe(true);
    expect(search(replied)).toEqual([id]);
    const version = getDb().select({ v: reports.version }).from(reports).where(eq(reports.id, id)).get()?.v;
    expect(postEditorMessage({ actor: editor, reportId: id, version, body: `Check ${noted}`, isInternal: true }).ok).toBe(true);
    expect(search(noted)).toEqual([id]);
    expect(indexedText(id)?.notes).toContain(noted);
    expect(indexedText(id)?.messages).not.toContain(noted);

    const again = submitReport({ actor: partner, values: { ...values, narrative: `Corrected: ${resubmitted}.` } });
    expect(again.ok).toBe(true);
    expect(search(resubmitted)).toEqual([id]);
  });

  it('a write that rolls back leaves the index as it was', () => {
    const [kept, lost] = [uniqueWord('kept'), uniqueWord('lost')];
    const id = submitWith({ title: `Title ${kept}` });
    expect(() =>
      writeTransaction((tx) => {
        tx.update(reports).set({ title: `Title ${lost}` }).where(eq(reports.id, id)).run();
        throw new Error('abandon');
      }),
    ).toThrow('abandon');
    expect(search(kept)).toEqual([id]);
    expect(search(lost)).toEqual([]);
  });
});

describe('Korean: NFC both ways, and words too short for trigrams', () => {
  const composed = '혜산'.normalize('NFC');
  const decomposed = '혜산'.normalize('NFD');
  let storedDecomposed: number;
  let storedComposed: number;
  beforeAll(() => {
    expect(decomposed).not.toBe(composed);
    storedDecomposed = insertReviewReport({ authorId: partner.id, title: 'placeholder' });
    // A title written decomposed (e.g. imported before input was normalised): the index stores NFC.
    getDb().update(reports).set({ title: `${decomposed}시 장마당 트럭 qxkorean` }).where(eq(reports.id, storedDecomposed)).run();
    storedComposed = insertReviewReport({ authorId: partner.id, title: `${composed}시 세관 qxkorean` });
  });

  it('a name stored decomposed is found composed, and one stored composed is found decomposed', () => {
    expect(search(`${composed}시`, {}).sort()).toEqual([storedDecomposed, storedComposed].sort());
    expect(search(`${decomposed}시`, {}).sort()).toEqual([storedDecomposed, storedComposed].sort());
    expect(search('장마당')).toEqual([storedDecomposed]);
  });

  it('a 2-syllable name and a 2-letter word still match (LIKE over the indexed text)', () => {
    expect(search(composed).sort()).toEqual(expect.arrayContaining([storedDecomposed, storedComposed]));
    expect(search(`${decomposed} qxkorean`).sort()).toEqual([storedDecomposed, storedComposed].sort());
    expect(search(`${composed} 세관`)).toEqual([storedComposed]);
  });

  it('the URL form is NFC too', () => {
    expect(parseQueueParams({ q: decomposed }).filters.q).toBe(composed);
  });
});

describe('ranking, filters and pages', () => {
  it('ranks by bm25: the word in a short title comes before a mention deep in a long narrative', () => {
    const word = uniqueWord('rank');
    const filler = 'The road was quiet for most of the night and nothing else happened there. '.repeat(20);
    const weak = submitWith({ title: 'Quiet night', narrative: `${filler} ${word}` });
    const strong = submitWith({ title: `${word} ${word}`, narrative: `${word} at the bridge.` });
    expect(search(word)).toEqual([strong, weak]);
    // The default order with a search is best match; the newest order stays available.
    expect(parseQueueParams({ q: word }).filters.sort).toBe('relevance');
    expect(search(word, { sort: 'submitted' })).toEqual([strong, weak]);
    expect(search(word, { sort: 'oldest' })).toEqual([weak, strong]);
  });

  it('combines with the other filters, the counts and the bulk snapshot', () => {
    const word = uniqueWord('mix');
    const musan = insertReviewReport({ authorId: partner.id, title: `Musan ${word}`, placeId: 'kp-musan', vehicles: 1 });
    const hyesan = insertReviewReport({ authorId: partner.id, title: `Hyesan ${word}`, placeId: 'kp-hyesan', status: 'rejected' });
    expect(search(word, { placeId: 'kp-musan' })).toEqual([musan]);
    expect(search(word, { status: 'rejected' })).toEqual([hyesan]);
    expect(search(word, { vehicleType: 'truck' })).toEqual([musan]);
    expect(search(word, { vehicleType: 'boat' })).toEqual([]);
    const snapshot = snapshotQueueMatch({ actor: editor, filters: { ...EMPTY_QUEUE_FILTERS, q: word } });
    expect(snapshot.ok && snapshot.count).toBe(2);
  });

  it('pages by (score, id) without repeating or skipping a report, both ways', () => {
    const word = uniqueWord('page');
    const made = Array.from({ length: 7 }, (_, i) => submitWith({ title: `Crossing ${word}`, narrative: `${word} ${'and then more trucks '.repeat(i * 5)}` }));
    const filters: QueueFilters = { ...EMPTY_QUEUE_FILTERS, q: word, sort: 'relevance' };
    const seen: number[] = [];
    let cursor: QueueCursor | null = null;
    const pages: { first: QueueCursor | null }[] = [];
    for (let i = 0; i < 10; i += 1) {
      const result = listQueue({ actor: editor, filters, cursor: cursor ? { direction: 'after', at: cursor } : null, pageSize: 3 });
      if (!result.ok) throw new Error(result.messageKey);
      seen.push(...result.rows.map((r) => r.id));
      pages.push({ first: result.previous });
      if (!result.next) break;
      cursor = result.next;
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([...made].sort((a, b) => a - b));
    expect(seen).toEqual(search(word));
    // The cursor survives the URL (a bm25 score is a small double, often with an exponent).
    const last = pages[pages.length - 1]?.first;
    expect(last).not.toBeNull();
    const parsed = parseQueueParams(queueSearchParams(filters, { direction: 'before', at: last as QueueCursor }));
    expect(parsed.cursor).toEqual({ direction: 'before', at: last });
    const back = listQueue({ actor: editor, filters, cursor: parsed.cursor, pageSize: 3 });
    expect(back.ok && back.rows.map((r) => r.id)).toEqual(seen.slice(3, 6));
  });

  it('filters by goods category and by grade, and sorts oldest submitted first', () => {
    const word = uniqueWord('grade');
    const a = insertReviewReport({ authorId: partner.id, title: `${word} one`, goods: 1, submittedAt: Date.UTC(2020, 0, 2) });
    const b = insertReviewReport({ authorId: partner.id, title: `${word} two`, submittedAt: Date.UTC(2020, 0, 1) });
    getDb().update(reports).set({ sourceReliability: 'B', informationCredibility: '2' }).where(eq(reports.id, b)).run();
    expect(search(word, { goodsCategoryId: 'electronics' })).toEqual([a]);
    expect(search(word, { sourceReliability: 'B' })).toEqual([b]);
    expect(search(word, { informationCredibility: '2', sourceReliability: 'B' })).toEqual([b]);
    expect(search(word, { informationCredibility: '3' })).toEqual([]);
    expect(search(word, { sort: 'oldest' })).toEqual([b, a]);
    expect(search(word, { sort: 'submitted' })).toEqual([a, b]);
  });
});

describe('who can search what', () => {
  it('a draft never appears, even when its words match; a partner is refused the queue', () => {
    const word = uniqueWord('secret');
    const draft = insertReviewReport({ authorId: partner.id, status: 'draft', title: `Draft ${word}` });
    const seen = insertReviewReport({ authorId: partner.id, title: `Filed ${word}` });
    expect(search(word)).toEqual([seen]);
    expect(search(word)).not.toContain(draft);
    expect(listQueue({ actor: partner, filters: { ...EMPTY_QUEUE_FILTERS, q: word } }).ok).toBe(false);
  });

  it('search words are data, never FTS5 syntax or LIKE wildcards', () => {
    expect(matchExpression(['a"b OR c', 'xy'])).toBe('"a""b OR c"');
    expect(containsPattern('5%_\\')).toBe('%5\\%\\_\\\\%');
    expect(() => search('"unbalanced NEAR( * OR')).not.toThrow();
    expect(search('%%')).toEqual([]);
  });
});

describe('the snippet', () => {
  it('shows the first hit in context, every hit in the window marked, text never read as HTML', () => {
    const snippet = searchSnippet(
      { title: 'Quiet', narrative: `${'a '.repeat(40)}<b>Trucks</b> crossed; trucks again. ${'z '.repeat(40)}` },
      searchTerms('TRUCK'),
    );
    expect(snippet?.field).toBe('narrative');
    const parts = snippet?.parts ?? [];
    expect(parts[0]).toEqual({ text: '…', isHit: false });
    expect(parts[parts.length - 1]).toEqual({ text: '…', isHit: false });
    expect(parts.filter((p) => p.isHit).map((p) => p.text)).toEqual(['Truck', 'truck']);
    expect(parts.map((p) => p.text).join('')).toContain('<b>Truck');
  });

  it('shows the field holding most of the words, the first of equals (found by a new editor: "Paid per truck" showed a title with "trucks")', () => {
    const fields = { title: 'Fuel trucks cross Hyesan bridge at night', rowNotes: 'Border guards: Paid per truck, in yuan' };
    const snippet = searchSnippet(fields, searchTerms('Paid per truck'));
    expect(snippet?.field).toBe('rowNotes');
    expect(snippet?.parts.filter((p) => p.isHit).map((p) => p.text)).toEqual(['Paid', 'per', 'truck']);
    // One word in both: the title, first in the form's order.
    expect(searchSnippet(fields, searchTerms('truck'))?.field).toBe('title');
  });

  it('matches decomposed text with a composed word, and returns null when nothing matches', () => {
    expect(searchSnippet({ notes: '혜산시'.normalize('NFD') }, ['혜산'])?.parts).toEqual([
      { text: '혜산', isHit: true },
      { text: '시', isHit: false },
    ]);
    expect(searchSnippet({ title: 'nothing' }, ['truck'])).toBeNull();
  });

  it('a queue row carries the snippet of its hit', () => {
    const word = uniqueWord('snip');
    insertReviewReport({ authorId: partner.id, title: 'Plain title' });
    const id = submitWith({ title: 'Plain title', placeDetail: `behind the ${word} yard` });
    const result = listQueue({ actor: editor, filters: { ...EMPTY_QUEUE_FILTERS, q: word } });
    const row = result.ok ? result.rows.find((r) => r.id === id) : undefined;
    expect(row?.snippet).toEqual({ field: 'placeDetail', parts: [{ text: 'behind the ', isHit: false }, { text: word, isHit: true }, { text: ' yard', isHit: false }] });
  });
});

describe('the scope: a search looks at the newest SEARCH_SCOPE_SIZE matching reports, and says so', () => {
  it('the notice: none within the scope; capped for long words; newest-only for short words alone', () => {
    expect(searchScopeNotice(['ferry'], SEARCH_SCOPE_SIZE)).toBeNull();
    expect(searchScopeNotice(['ferry', '혜산'], SEARCH_SCOPE_SIZE + 1)).toBe('capped');
    expect(searchScopeNotice(['혜산'], SEARCH_SCOPE_SIZE + 1)).toBe('shortWordsNewest');
    expect(searchScopeNotice([], SEARCH_SCOPE_SIZE + 1)).toBeNull();
  });

  it('more matches than the scope: the newest are searched, counted and ranked, the queue says so, and another word finds the oldest', () => {
    const word = uniqueWord('scope');
    const oldestWord = uniqueWord('oldest');
    // One transaction (one commit) for the thousand reports.
    const made = writeTransaction(() =>
      Array.from({ length: SEARCH_SCOPE_SIZE + 1 }, (_, i) => insertReviewReport({ authorId: partner.id, title: i === 0 ? `${word} ${oldestWord}` : `${word} crossing ${i}` })),
    );
    const filters = (q: string): QueueFilters => ({ ...EMPTY_QUEUE_FILTERS, q, sort: 'relevance' });
    expect(describeSearchScope({ actor: editor, filters: filters(word) })).toBe('capped');
    const snapshot = snapshotQueueMatch({ actor: editor, filters: filters(word) });
    expect(snapshot.ok && snapshot.count).toBe(SEARCH_SCOPE_SIZE);
    expect(snapshot.ok && snapshot.maxId).toBe(made.at(-1));
    expect(search(word, { sort: 'oldest' })[0]).toBe(made[1]);
    // Two words narrow the matches to one report: within the scope, so nothing is left out.
    expect(search(`${word} ${oldestWord}`)).toEqual([made[0]]);
    expect(describeSearchScope({ actor: editor, filters: filters(`${word} ${oldestWord}`) })).toBeNull();
    // Words of 1–2 characters alone look through the newest reports only, and the queue says so.
    expect(describeSearchScope({ actor: editor, filters: filters('ab') })).toBe('shortWordsNewest');
    expect(describeSearchScope({ actor: partner, filters: filters(word) })).toBeNull();
  });
});
