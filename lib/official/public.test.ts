import { beforeAll, describe, expect, it } from 'vitest';
import { insertDemoReport, publishingFixture, type DemoReportOverrides } from '@/lib/testing/reports';

type Db = ReturnType<typeof publishingFixture>;
let db: Db;
let publishing: typeof import('@/lib/publishing/publish');
let official: typeof import('./public');

beforeAll(async () => {
  db = publishingFixture();
  publishing = await import('@/lib/publishing/publish');
  official = await import('./public');
});

let clock = Date.UTC(2019, 0, 1);
function publishNew(overrides: DemoReportOverrides = {}) {
  const reportId = insertDemoReport(db.partner.id, overrides);
  clock += 60_000;
  const result = publishing.publishReportWithDefaults({ actor: db.editor, reportId, now: clock });
  if (!result.ok) throw new Error(result.messageKey);
  return { reportId, version: result.version };
}

describe('observations per month', () => {
  it('counts vehicles crossing (into or out of North Korea) and goods rows in the month the published period starts, on the local clock', () => {
    // Demo report 1: 12 buses and 25 trucks into, 18 trucks out of North Korea, 10 cars within; 4 goods rows.
    publishNew({ observedFrom: '2018-07-12T19:30', observedTo: '2018-07-13T04:00' });
    // 00:30 on 1 August in Pyongyang is 31 July in UTC: it counts in August.
    publishNew({ observedFrom: '2018-08-01T00:30', observedTo: '2018-08-01T02:00', timeZone: 'Asia/Pyongyang' });
    expect(official.getObservedPerMonth()).toEqual([
      { month: '2018-07', vehicles: 55, goodsRows: 4 },
      { month: '2018-08', vehicles: 55, goodsRows: 4 },
    ]);
  });

  it('takes the public filters of /reports and /stats (place, dates)', async () => {
    const { parsePublicFilters } = await import('@/lib/publishing/filters');
    const filtersOf = (query: string) => {
      const parsed = parsePublicFilters(new URLSearchParams(query));
      if (!parsed.ok) throw new Error(parsed.message);
      return parsed.filters;
    };
    publishNew({ placeId: 'kp-musan', observedFrom: '2018-10-02T10:00', observedTo: '2018-10-02T11:00' });
    expect(official.getObservedPerMonth({ filters: filtersOf('place=kp-north-hamgyong') })).toEqual([{ month: '2018-10', vehicles: 55, goodsRows: 4 }]);
    expect(official.getObservedPerMonth({ filters: filtersOf('from=2018-07-20&to=2018-08-31') }).map((m) => m.month)).toEqual(['2018-08']);
    expect(official.getObservedPerMonth().map((m) => m.month)).toContain('2018-10');
  });

  it('retracted publications never count', () => {
    const published = publishNew({ observedFrom: '2018-09-03T10:00', observedTo: '2018-09-03T11:00' });
    expect(official.getObservedPerMonth().map((m) => m.month)).toContain('2018-09');
    const retracted = publishing.retractReport({ actor: db.editor, reportId: published.reportId, expectedVersion: published.version, reason: 'test', now: clock + 1 });
    if (!retracted.ok) throw new Error(retracted.messageKey);
    expect(official.getObservedPerMonth().map((m) => m.month)).not.toContain('2018-09');
  });
});
