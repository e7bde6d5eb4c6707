import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { countTestRows } from '@/lib/testing/database';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';
import { freshDemoReportValues } from '@/lib/testing/reports';

type Modules = {
  submit: typeof import('./submit');
  queue: typeof import('./commit-queue');
  client: typeof import('@/db/client');
  schema: typeof import('@/db/schema');
};

let accounts: TestAccounts<{ partnerA: 'partner'; partnerB: 'partner'; editor: 'editor' }>;
let m: Modules;
const NOW = Date.UTC(2026, 0, 15, 12, 0);

beforeAll(async () => {
  accounts = await insertTestAccounts({ partnerA: 'partner', partnerB: 'partner', editor: 'editor' });
  m = {
    submit: await import('./submit'),
    queue: await import('./commit-queue'),
    client: await import('@/db/client'),
    schema: await import('@/db/schema'),
  };
});

describe('submitReportGrouped (group commit)', () => {
  it('writes submissions posted together in one transaction and answers each as submitReport would', async () => {
    const sqlite = m.client.getSqlite();
    const values = Array.from({ length: 6 }, () => freshDemoReportValues());
    const results = await Promise.all(values.map((v) => m.submit.submitReportGrouped({ actor: accounts.partnerA, values: v, now: NOW })));
    for (const [i, result] of results.entries()) {
      if (!result.ok) throw new Error(JSON.stringify(result));
      expect(result.alreadySubmitted).toBe(false);
      const row = sqlite.prepare('SELECT id, status FROM reports WHERE client_id = ?').get(values[i]?.clientId) as { id: number; status: string };
      expect(row).toEqual({ id: result.reportId, status: 'submitted' });
      expect(countTestRows('report_vehicles', 'report_id = ?', result.reportId)).toBe(4);
    }
    expect(new Set(results.map((r) => (r.ok ? r.reportId : 0))).size).toBe(6);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('answers only after the batch has committed: an answered report is readable by another connection', async () => {
    const values = freshDemoReportValues();
    const result = await m.submit.submitReportGrouped({ actor: accounts.partnerA, values, now: NOW });
    if (!result.ok) throw new Error(JSON.stringify(result));
    const other = m.client.openSqlite();
    try {
      const row = other.prepare('SELECT status FROM reports WHERE id = ?').get(result.reportId) as { status: string } | undefined;
      expect(row?.status).toBe('submitted');
    } finally {
      other.close();
    }
  });

  it('keeps refusals and successes in one batch apart: a refused post writes nothing, the others are filed', async () => {
    const good = [freshDemoReportValues(), freshDemoReportValues()];
    const bad = { ...freshDemoReportValues(), title: '' };
    const forbiddenField = { ...freshDemoReportValues(), status: 'verified' };
    const othersId = freshDemoReportValues();
    const othersFirst = await m.submit.submitReportGrouped({ actor: accounts.partnerB, values: othersId, now: NOW });
    expect(othersFirst.ok).toBe(true);
    const reportsBefore = countTestRows('reports');

    const [a, refusedTitle, refusedField, stolen, b] = await Promise.all([
      m.submit.submitReportGrouped({ actor: accounts.partnerA, values: good[0], now: NOW }),
      m.submit.submitReportGrouped({ actor: accounts.partnerA, values: bad, now: NOW }),
      m.submit.submitReportGrouped({ actor: accounts.partnerA, values: forbiddenField, now: NOW }),
      m.submit.submitReportGrouped({ actor: accounts.partnerA, values: { ...othersId, title: 'Overwritten by A' }, now: NOW }),
      m.submit.submitReportGrouped({ actor: accounts.partnerA, values: good[1], now: NOW }),
    ]);
    expect(a?.ok).toBe(true);
    expect(b?.ok).toBe(true);
    expect(refusedTitle).toMatchObject({ ok: false, code: 'invalid' });
    expect(refusedField).toMatchObject({ ok: false, code: 'invalid' });
    expect(stolen).toMatchObject({ ok: false, code: 'notFound' });
    expect(countTestRows('reports')).toBe(reportsBefore + 2);
    expect(countTestRows('reports', 'client_id = ?', bad.clientId)).toBe(0);
    expect(countTestRows('reports', "title = 'Overwritten by A'")).toBe(0);
  });

  it('turns identical posts in one batch into one report: the later ones answer as retries', async () => {
    const values = freshDemoReportValues();
    const before = { reports: countTestRows('reports'), events: countTestRows('report_events'), revisions: countTestRows('report_revisions') };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => m.submit.submitReportGrouped({ actor: accounts.partnerA, values: structuredClone(values), now: NOW })),
    );
    const ids = new Set(results.map((r) => (r.ok ? r.reportId : null)));
    expect(ids.size).toBe(1);
    expect(ids.has(null)).toBe(false);
    expect(results.filter((r) => r.ok && !r.alreadySubmitted)).toHaveLength(1);
    expect(countTestRows('reports')).toBe(before.reports + 1);
    expect(countTestRows('report_events')).toBe(before.events + 1);
    expect(countTestRows('report_revisions')).toBe(before.revisions + 1);
  });
});

type WriteTx = Parameters<Parameters<typeof import('./commit-queue').enqueueWrite>[0]>[0];

describe('enqueueWrite', () => {
  it('runs writes queued together in ONE transaction and answers after its commit', async () => {
    const { reports } = m.schema;
    const first = randomUUID();
    const other = m.client.openSqlite();
    const seenByOther = (clientId: string) => other.prepare('SELECT count(*) FROM reports WHERE client_id = ?').pluck().get(clientId);
    try {
      const [, secondSaw] = await Promise.all([
        m.queue.enqueueWrite((tx: WriteTx) => tx.insert(reports).values({ clientId: first, authorId: accounts.partnerA.id, status: 'draft' }).run()),
        // Runs after the first write, in the same transaction: another connection cannot see it yet.
        m.queue.enqueueWrite(() => seenByOther(first)),
      ]);
      expect(secondSaw).toBe(0);
      // Once the promises have settled the batch is committed.
      expect(seenByOther(first)).toBe(1);
    } finally {
      other.close();
    }
  });

  it('rolls back only the savepoint of a write that throws; the batch commits the rest', async () => {
    const { reports } = m.schema;
    const insertDraft = (clientId: string) => (tx: WriteTx) =>
      tx.insert(reports).values({ clientId, authorId: accounts.partnerA.id, status: 'draft' }).returning({ id: reports.id }).all()[0]?.id;
    const kept = [randomUUID(), randomUUID()];
    const thrown = randomUUID();
    const settled = await Promise.allSettled([
      m.queue.enqueueWrite(insertDraft(kept[0] ?? '')),
      m.queue.enqueueWrite((tx) => {
        insertDraft(thrown)(tx);
        throw new Error('refused after writing');
      }),
      m.queue.enqueueWrite(insertDraft(kept[1] ?? '')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]?.status === 'rejected' && (settled[1].reason as Error).message).toBe('refused after writing');
    expect(countTestRows('reports', 'client_id = ?', thrown)).toBe(0);
    expect(countTestRows('reports', 'client_id IN (?, ?)', ...kept)).toBe(2);
  });

  it('rejects every write of a batch whose transaction cannot commit, and nothing of it is written', async () => {
    const { reports } = m.schema;
    const clientId = randomUUID();
    const other = m.client.openSqlite();
    other.pragma('busy_timeout = 0');
    const sqlite = m.client.getSqlite();
    const previousTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
    sqlite.pragma('busy_timeout = 0');
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const results = await Promise.allSettled([
        m.queue.enqueueWrite((tx) => tx.insert(reports).values({ clientId, authorId: accounts.partnerA.id, status: 'draft' }).run()),
        m.queue.enqueueWrite(() => 'nothing written'),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
      sqlite.pragma(`busy_timeout = ${previousTimeout}`);
    }
    expect(countTestRows('reports', 'client_id = ?', clientId)).toBe(0);
  });
});
