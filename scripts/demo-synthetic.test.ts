import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishingFixture } from '@/lib/testing/reports';
import { EMPTY_FILTERS } from '@/lib/publishing/filters';
import { parseSyntheticOption, SYNTHETIC_PARTNER, SyntheticRefusedError } from './demo-synthetic';

let db: ReturnType<typeof publishingFixture>;
beforeAll(() => {
  db = publishingFixture();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('npm run demo -- --synthetic', () => {
  it('is off by default, takes a count, and is refused in production or out of range', () => {
    expect(parseSyntheticOption([], undefined)).toBeNull();
    expect(parseSyntheticOption(['--synthetic=300'], 'development')).toBe(300);
    expect(parseSyntheticOption(['--', '--synthetic=1_000'], undefined)).toBe(1000);
    expect(() => parseSyntheticOption(['--synthetic=300'], 'production')).toThrow(SyntheticRefusedError);
    expect(() => parseSyntheticOption(['--synthetic=0'], undefined)).toThrow(/1 to 2000/);
    expect(() => parseSyntheticOption(['--synthetic=lots'], undefined)).toThrow(/1 to 2000/);
  });

  it('publishes synthetic reports through the data layer, each labelled synthetic in both languages, spread over months; a second run adds none', async () => {
    const { seedSyntheticReports } = await import('./demo-synthetic');
    const { listPublications } = await import('@/lib/publishing/public-queries');
    const now = Date.UTC(2026, 11, 1);
    const before = listPublications({ filters: EMPTY_FILTERS, limit: 1000 }).items.length;
    expect(await seedSyntheticReports({ count: 12, now, editor: db.editor })).toEqual({ created: 12, existing: 0 });
    const items = listPublications({ filters: EMPTY_FILTERS, limit: 1000 }).items;
    expect(items.length - before).toBe(12);
    const synthetic = items.filter((item) => item.snapshot.title.en.startsWith('Synthetic demo report'));
    expect(synthetic).toHaveLength(12);
    for (const { snapshot } of synthetic) {
      expect(snapshot.title.ko).toMatch(/^합성 데모 보고 \d+$/);
      expect(snapshot.summary.en).toContain('not a real report');
      expect(snapshot.summary.ko).toContain('실제 보고가 아닙니다');
      expect(snapshot.period.end).toBeLessThanOrEqual(now);
    }
    const months = new Set(synthetic.map(({ snapshot }) => new Date(snapshot.period.start).toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(4);
    // Filed by the synthetic partner, not by a demo partner people sign in as.
    const { accounts } = db.schema;
    const { eq } = await import('drizzle-orm');
    expect(db.client.getDb().select({ role: accounts.role }).from(accounts).where(eq(accounts.codeName, SYNTHETIC_PARTNER)).get()).toEqual({ role: 'partner' });

    expect(await seedSyntheticReports({ count: 12, now, editor: db.editor })).toEqual({ created: 0, existing: 12 });
  });

  it('refuses to run when NODE_ENV is production, writing nothing', async () => {
    const { seedSyntheticReports } = await import('./demo-synthetic');
    vi.stubEnv('NODE_ENV', 'production');
    await expect(seedSyntheticReports({ count: 1, editor: db.editor })).rejects.toThrow(SyntheticRefusedError);
  });
});
