import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestAccounts, type TestAccounts } from '@/lib/testing/accounts';
import { freshDemoReportValues } from '@/lib/testing/reports';

type Modules = {
  queries: typeof import('./queries');
  submit: typeof import('./submit');
  drafts: typeof import('./drafts');
};

let accounts: TestAccounts<{ partnerA: 'partner'; partnerB: 'partner' }>;
let m: Modules;
const NOW = Date.UTC(2026, 0, 15, 12, 0);
const HOUR = 3_600_000;

beforeAll(async () => {
  accounts = await insertTestAccounts({ partnerA: 'partner', partnerB: 'partner' });
  m = { queries: await import('./queries'), submit: await import('./submit'), drafts: await import('./drafts') };
});

describe('listMyReports', () => {
  it("dates each line by its own report's last change, never by another report's history", () => {
    // Another partner's report, submitted later (its workflow event is the database's first).
    const submitted = m.submit.submitReport({ actor: accounts.partnerB, values: freshDemoReportValues(), now: NOW + 5 * HOUR });
    if (!submitted.ok) throw new Error('setup');
    const saved = m.drafts.saveDraft({ actor: accounts.partnerA, values: freshDemoReportValues(), now: NOW });
    if (!saved.ok) throw new Error('setup');

    expect(m.queries.listMyReports({ actor: accounts.partnerA }).map((line) => [line.id, line.lastChangeAt])).toEqual([[saved.reportId, NOW]]);
    expect(m.queries.listMyReports({ actor: accounts.partnerB }).map((line) => [line.id, line.lastChangeAt])).toEqual([[submitted.reportId, NOW + 5 * HOUR]]);
  });
});
