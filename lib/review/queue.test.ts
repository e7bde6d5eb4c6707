import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_QUEUE_FILTERS, parseQueueParams, queueSearchParams, type QueueCursor, type QueueFilters } from './schema';
import { countAwaitingEditors, countQueueByStatus, listQueue, snapshotQueueMatch } from './queue';
import { createTestAccount, type TestAccount } from '@/lib/testing/accounts';
import { insertReviewReport } from '@/lib/testing/reports';

let editor: TestAccount;
let otherEditor: TestAccount;
let partner: TestAccount;
let partnerB: TestAccount;

beforeAll(() => {
  editor = createTestAccount('editor');
  otherEditor = createTestAccount('editor');
  partner = createTestAccount('partner', 'queue-partner-a');
  partnerB = createTestAccount('partner', 'queue-partner-b');
});

function ids(filters: Partial<QueueFilters>, actor = editor): number[] {
  const result = listQueue({ actor, filters: { ...EMPTY_QUEUE_FILTERS, ...filters }, pageSize: 200 });
  if (!result.ok) throw new Error(result.messageKey);
  return result.rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Walk every page forward; returns the ids in page order. */
function walk(filters: QueueFilters, pageSize: number, between?: (page: number) => void): number[] {
  const seen: number[] = [];
  let cursor: QueueCursor | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result = listQueue({ actor: editor, filters, cursor: cursor ? { direction: 'after', at: cursor } : null, pageSize });
    if (!result.ok) throw new Error(result.messageKey);
    seen.push(...result.rows.map((r) => r.id));
    between?.(page);
    if (!result.next) break;
    cursor = result.next;
  }
  return seen;
}

describe('moderation queue filters', () => {
  const made: Record<string, number> = {};
  beforeAll(() => {
    const day = (d: number, h = 12) => Date.UTC(2019, 2, d, h);
    made.hyesan = insertReviewReport({ authorId: partner.id, placeId: 'kp-hyesan', observedFrom: day(1), observedTo: day(1, 20), vehicles: 2 });
    made.crossing = insertReviewReport({ authorId: partner.id, placeId: 'crossing-hyesan-changbai', observedFrom: day(5), observedTo: day(6), goods: 1 });
    made.musan = insertReviewReport({ authorId: partnerB.id, placeId: 'kp-musan', observedFrom: day(10), observedTo: day(10, 14), agencyIds: ['samjiyon'] });
    made.claimedMine = insertReviewReport({ authorId: partnerB.id, status: 'in_review', claimedBy: editor.id, placeId: 'kp-sinuiju', observedFrom: day(20) });
    made.claimedOther = insertReviewReport({ authorId: partnerB.id, status: 'in_review', claimedBy: otherEditor.id, placeId: 'kp-sinuiju', observedFrom: day(21) });
    made.rejected = insertReviewReport({ authorId: partner.id, status: 'rejected', placeId: 'kp-yanggang', observedFrom: day(2) });
    made.draft = insertReviewReport({ authorId: partner.id, status: 'draft', placeId: 'kp-hyesan', observedFrom: day(1) });
  });

  it('never shows drafts', () => {
    expect(ids({})).not.toContain(made.draft);
    expect(ids({})).toEqual(expect.arrayContaining([made.hyesan, made.crossing, made.musan, made.rejected]));
  });

  it('filters by status', () => {
    expect(ids({ status: 'rejected' })).toEqual([made.rejected]);
    expect(ids({ status: 'in_review' })).toEqual([made.claimedMine, made.claimedOther]);
  });

  it('filters by place including every place under it in the gazetteer', () => {
    // kp-yanggang ⊃ kp-hyesan ⊃ crossing-hyesan-changbai
    expect(ids({ placeId: 'kp-yanggang' })).toEqual([made.hyesan, made.crossing, made.rejected]);
    expect(ids({ placeId: 'kp-hyesan' })).toEqual([made.hyesan, made.crossing]);
    expect(ids({ placeId: 'crossing-hyesan-changbai' })).toEqual([made.crossing]);
    expect(ids({ placeId: 'kp-north-hamgyong' })).toEqual([made.musan]);
  });

  it('filters by partner code name, case-insensitively', () => {
    expect(ids({ partner: 'QUEUE-PARTNER-A' })).toEqual([made.hyesan, made.crossing, made.rejected]);
    expect(ids({ partner: 'nobody' })).toEqual([]);
  });

  it('filters by observed-date range (days in Pyongyang time, overlapping windows)', () => {
    expect(ids({ observedFromDate: '2019-03-05', observedToDate: '2019-03-10' })).toEqual([made.crossing, made.musan]);
    // 2019-03-06 12:00 UTC is 21:00 in Pyongyang: the crossing report's window reaches into the 6th.
    expect(ids({ observedFromDate: '2019-03-06', observedToDate: '2019-03-06' })).toEqual([made.crossing]);
    expect(ids({ observedFromDate: '2019-03-23' })).toEqual([]);
    // The report seen from 2019-03-21 21:00 to 2019-03-22 06:00 Pyongyang time reaches into the 22nd.
    expect(ids({ observedFromDate: '2019-03-22' })).toEqual([made.claimedOther]);
  });

  it('filters by claimed by me / unclaimed', () => {
    expect(ids({ claim: 'me' })).toEqual([made.claimedMine]);
    expect(ids({ claim: 'me' }, otherEditor)).toEqual([made.claimedOther]);
    const unclaimed = ids({ claim: 'unclaimed' });
    expect(unclaimed).not.toContain(made.claimedMine);
    expect(unclaimed).not.toContain(made.claimedOther);
    expect(unclaimed).toContain(made.hyesan);
  });

  it('filters by vehicles, goods and a given agency', () => {
    expect(ids({ hasVehicles: true })).toEqual([made.hyesan]);
    expect(ids({ hasGoods: true })).toEqual([made.crossing]);
    expect(ids({ agencyId: 'samjiyon' })).toEqual([made.musan]);
    expect(ids({ agencyId: 'chonji' })).toEqual([]);
  });

  it('counts per status ignore the status filter but keep the others', () => {
    const counts = countQueueByStatus({ actor: editor, filters: { ...EMPTY_QUEUE_FILTERS, placeId: 'kp-yanggang', status: 'rejected' } });
    expect(counts.submitted).toBe(2);
    expect(counts.rejected).toBe(1);
    expect(counts.in_review).toBe(0);
  });

  it('sorts by observed time when asked, newest first', () => {
    const result = listQueue({ actor: editor, filters: { ...EMPTY_QUEUE_FILTERS, sort: 'observed', partner: 'queue-partner-a' } });
    if (!result.ok) throw new Error(result.messageKey);
    expect(result.rows.map((r) => r.id)).toEqual([made.crossing, made.rejected, made.hyesan]);
  });

  it('refuses partners', () => {
    const result = listQueue({ actor: partner, filters: EMPTY_QUEUE_FILTERS });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(countAwaitingEditors({ actor: partner })).toBe(0);
    expect(snapshotQueueMatch({ actor: partner, filters: EMPTY_QUEUE_FILTERS })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('keyset pagination', () => {
  it('neither repeats nor skips rows when many reports share one timestamp and more arrive between pages', () => {
    const author = createTestAccount('partner', 'pagination-partner');
    const filters: QueueFilters = { ...EMPTY_QUEUE_FILTERS, partner: author.codeName };
    const sameTime = Date.UTC(2020, 0, 1, 0, 0);
    const original: number[] = [];
    for (let i = 0; i < 7; i += 1) original.push(insertReviewReport({ authorId: author.id, submittedAt: sameTime }));
    for (let i = 0; i < 5; i += 1) original.push(insertReviewReport({ authorId: author.id, submittedAt: sameTime - 1000 * (i + 1) }));
    const added: number[] = [];
    const seen = walk(filters, 4, (page) => {
      // After each page: new reports with the very same timestamp, one older, one newer.
      if (page < 2) {
        added.push(insertReviewReport({ authorId: author.id, submittedAt: sameTime }));
        added.push(insertReviewReport({ authorId: author.id, submittedAt: sameTime - 2500 }));
        added.push(insertReviewReport({ authorId: author.id, submittedAt: sameTime + 1 }));
      }
    });
    expect(new Set(seen).size).toBe(seen.length); // no duplicates
    for (const id of original) expect(seen).toContain(id); // no gaps
    // Order is (time desc, id desc): reports added with the same timestamp sort before the cursor.
    const times = new Map<number, number>();
    const all = listQueue({ actor: editor, filters, pageSize: 200 });
    if (!all.ok) throw new Error(all.messageKey);
    for (const row of all.rows) times.set(row.id, row.sortTime);
    for (let i = 1; i < seen.length; i += 1) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      const ordered = times.get(a)! > times.get(b)! || (times.get(a) === times.get(b) && a > b);
      expect(ordered, `${a} before ${b}`).toBe(true);
    }
  });

  it('goes back with a `before` cursor to exactly the previous page', () => {
    const author = createTestAccount('partner', 'back-partner');
    const filters: QueueFilters = { ...EMPTY_QUEUE_FILTERS, partner: author.codeName };
    for (let i = 0; i < 9; i += 1) insertReviewReport({ authorId: author.id, submittedAt: Date.UTC(2021, 0, 1) });
    const first = listQueue({ actor: editor, filters, pageSize: 4 });
    if (!first.ok || !first.next) throw new Error('no first page');
    expect(first.previous).toBeNull();
    const second = listQueue({ actor: editor, filters, pageSize: 4, cursor: { direction: 'after', at: first.next } });
    if (!second.ok || !second.previous) throw new Error('no second page');
    const back = listQueue({ actor: editor, filters, pageSize: 4, cursor: { direction: 'before', at: second.previous } });
    if (!back.ok) throw new Error(back.messageKey);
    expect(back.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    expect(back.previous).toBeNull();
    const third = listQueue({ actor: editor, filters, pageSize: 4, cursor: { direction: 'after', at: second.next! } });
    if (!third.ok) throw new Error(third.messageKey);
    expect(third.rows).toHaveLength(1);
    expect(third.next).toBeNull();
  });
});

describe('editors’ unread count', () => {
  it('counts submitted reports nobody has claimed', () => {
    const before = countAwaitingEditors({ actor: editor });
    const author = createTestAccount('partner');
    insertReviewReport({ authorId: author.id });
    insertReviewReport({ authorId: author.id, status: 'in_review', claimedBy: editor.id });
    insertReviewReport({ authorId: author.id, status: 'draft' });
    expect(countAwaitingEditors({ actor: editor })).toBe(before + 1);
  });

  it('counts are never older than the last write, by this process or by another connection', async () => {
    const { getSqlite, openSqlite } = await import('@/db/client');
    const all = () => countQueueByStatus({ actor: editor, filters: EMPTY_QUEUE_FILTERS });
    const author = createTestAccount('partner');
    const id = insertReviewReport({ authorId: author.id });
    const before = { awaiting: countAwaitingEditors({ actor: editor }), counts: all() };
    // Read again without a write in between: the same answer.
    expect(countAwaitingEditors({ actor: editor })).toBe(before.awaiting);
    expect(all()).toEqual(before.counts);
    // A claim by this process's connection.
    getSqlite().prepare("UPDATE reports SET status = 'in_review', claimed_by = ? WHERE id = ?").run(editor.id, id);
    expect(countAwaitingEditors({ actor: editor })).toBe(before.awaiting - 1);
    expect(all()).toMatchObject({ submitted: before.counts.submitted - 1, in_review: before.counts.in_review + 1 });
    // A write by another connection (a script, another server process).
    const other = openSqlite();
    try {
      other.prepare("UPDATE reports SET status = 'submitted', claimed_by = NULL WHERE id = ?").run(id);
    } finally {
      other.close();
    }
    expect(countAwaitingEditors({ actor: editor })).toBe(before.awaiting);
    expect(all()).toEqual(before.counts);
  });
});

describe('queue URL parameters', () => {
  it('round-trips filters and cursor through the URL', () => {
    const filters: QueueFilters = {
      ...EMPTY_QUEUE_FILTERS,
      status: 'submitted',
      placeId: 'kp-yanggang',
      partner: 'partner-k17',
      observedFromDate: '2018-07-01',
      observedToDate: '2018-07-31',
      claim: 'unclaimed',
      hasVehicles: true,
      hasGoods: true,
      agencyId: 'samjiyon',
      sort: 'observed',
    };
    const cursor = { direction: 'after' as const, at: { time: 1531391400000.5, id: 42 } };
    const parsed = parseQueueParams(queueSearchParams(filters, cursor));
    expect(parsed).toEqual({ filters, cursor, ignored: [] });
  });

  it('ignores junk values and says which', () => {
    const parsed = parseQueueParams({ status: 'draft', from: '2018-02-30', place: '../etc', after: '1_2_3', claimed: 'them', sort: 'title' });
    expect(parsed.filters).toEqual(EMPTY_QUEUE_FILTERS);
    expect(parsed.cursor).toBeNull();
    expect(parsed.ignored.sort()).toEqual(['after', 'claimed', 'from', 'place', 'sort', 'status']);
  });

  it('reads control characters in a search as spaces (a NUL ended the FTS5 phrase and failed the page)', () => {
    expect(parseQueueParams({ q: 'abc\u0000def\u0007' }).filters.q).toBe('abc def');
    expect(parseQueueParams({ q: '\u0000\t' }).filters.q).toBeNull();
  });
});
