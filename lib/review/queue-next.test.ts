import { beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, type TestAccount } from '@/lib/testing/accounts';
import { insertReviewReport } from '@/lib/testing/reports';
import { listQueue } from './queue';
import { nextInQueue } from './queue-next';
import { EMPTY_QUEUE_FILTERS, parseQueueContext, queueContextParams, reviewHref, type QueueContext, type QueueFilters } from './schema';

let editor: TestAccount;
let partner: TestAccount;
let other: TestAccount;
const made: number[] = [];
let otherPartners: number;

beforeAll(() => {
  editor = createTestAccount('editor');
  partner = createTestAccount('partner', 'next-partner');
  other = createTestAccount('partner', 'next-other');
  const base = Date.UTC(2026, 0, 5, 8);
  // Four of the partner's, one of another partner's between them, two sharing one submitted time.
  made.push(insertReviewReport({ authorId: partner.id, submittedAt: base }));
  made.push(insertReviewReport({ authorId: partner.id, submittedAt: base + 60_000 }));
  otherPartners = insertReviewReport({ authorId: other.id, submittedAt: base + 90_000 });
  made.push(insertReviewReport({ authorId: partner.id, submittedAt: base + 120_000 }));
  made.push(insertReviewReport({ authorId: partner.id, submittedAt: base + 120_000 }));
});

const filters = (more: Partial<QueueFilters> = {}): QueueFilters => ({ ...EMPTY_QUEUE_FILTERS, partner: partner.codeName, ...more });

/** Follow "next" from the queue's first row to the end; returns the ids in order. */
function walk(f: QueueFilters): number[] {
  const first = listQueue({ actor: editor, filters: f, pageSize: 1 });
  if (!first.ok || !first.rows[0]) throw new Error('empty queue');
  const row = first.rows[0];
  const seen = [row.id];
  let context: QueueContext = { filters: f, at: { time: row.sortTime, id: row.id } };
  for (let i = 0; i < 10; i += 1) {
    const result = nextInQueue({ actor: editor, reportId: seen.at(-1)!, context });
    if (!result.ok) throw new Error(result.messageKey);
    if (!result.next) break;
    seen.push(result.next.id);
    context = { filters: f, at: result.next.at };
  }
  return seen;
}

describe('next report in the queue', () => {
  it('walks the filtered queue in its order, newest first, ties by id, and stops at the end', () => {
    const [a, b, c, d] = made as [number, number, number, number];
    expect(walk(filters())).toEqual([d, c, b, a]);
  });

  it('honours the order: oldest first walks the other way', () => {
    const [a, b, c, d] = made as [number, number, number, number];
    expect(walk(filters({ sort: 'oldest' }))).toEqual([a, b, c, d]);
  });

  it('never leaves the filter: the other partner’s report is skipped', () => {
    expect(walk(filters())).not.toContain(otherPartners);
    const unfiltered = walk({ ...EMPTY_QUEUE_FILTERS, sort: 'oldest' });
    const at = unfiltered.indexOf(made[1]!);
    expect(unfiltered[at + 1]).toBe(otherPartners);
  });

  it('without the queue’s place in the URL, reads the report’s own sort time', () => {
    const [, b, c] = made as [number, number, number, number];
    const result = nextInQueue({ actor: editor, reportId: c, context: { filters: filters(), at: null } });
    expect(result).toEqual({ ok: true, next: { id: b, at: expect.objectContaining({ id: b }) } });
  });

  it('refuses partners', () => {
    expect(nextInQueue({ actor: partner, reportId: made[0]!, context: { filters: filters(), at: null } })).toMatchObject({ ok: false, code: 'forbidden' });
  });
});

describe('the queue context in a review URL', () => {
  it('round-trips the filters and the place, and drops what is not valid', () => {
    const context: QueueContext = { filters: { ...EMPTY_QUEUE_FILTERS, status: 'submitted', q: 'ferry', sort: 'oldest' }, at: { time: 1767600000000, id: 42 } };
    const href = reviewHref(42, context, { done: 'verify' });
    expect(href).toBe('/editor/reports/42?status=submitted&q=ferry&sort=oldest&at=1767600000000_42&done=verify');
    const back = parseQueueContext(new URL(href, 'http://x').searchParams);
    expect(back).toEqual(context);
    expect(queueContextParams(back).toString()).toBe('status=submitted&q=ferry&sort=oldest&at=1767600000000_42');
    expect(parseQueueContext(new URLSearchParams('status=nope&at=x_1&claimed=%3Cscript%3E'))).toEqual({ filters: EMPTY_QUEUE_FILTERS, at: null });
  });
});
