import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '@/lib/publishing/filters';
import { filtersOf, publishDemoReport, publishingFixture } from '@/lib/testing/reports';

let db: ReturnType<typeof publishingFixture>;
let queries: typeof import('./queries');
let publishing: typeof import('@/lib/publishing/publish');

beforeAll(async () => {
  db = publishingFixture();
  queries = await import('./queries');
  publishing = await import('@/lib/publishing/publish');
});

describe('countPublicationsByPlace', () => {
  it('counts publications at their published place only, follows the filters and retractions', () => {
    const hyesan = publishDemoReport(db, { overrides: { placeId: 'kp-hyesan' }, now: Date.UTC(2019, 0, 1) });
    publishDemoReport(db, { overrides: { placeId: 'kp-musan' }, now: Date.UTC(2019, 0, 2) });
    const all = queries.countPublicationsByPlace({ filters: EMPTY_FILTERS });
    // Default coarsening: the province. The towns the partners were in are never counted.
    expect(all).toEqual(
      expect.arrayContaining([
        { placeId: 'kp-yanggang', country: 'KP', count: 1 },
        { placeId: 'kp-north-hamgyong', country: 'KP', count: 1 },
      ]),
    );
    expect(all.some((c) => c.placeId === 'kp-hyesan' || c.placeId === 'kp-musan')).toBe(false);
    expect(queries.countPublicationsByPlace({ filters: filtersOf('place=kp-north-hamgyong') })).toEqual([{ placeId: 'kp-north-hamgyong', country: 'KP', count: 1 }]);

    const retracted = publishing.retractReport({ actor: db.editor, reportId: hyesan.reportId, expectedVersion: hyesan.version, reason: 'Withdrawn.' });
    expect(retracted.ok).toBe(true);
    expect(queries.countPublicationsByPlace({ filters: EMPTY_FILTERS }).some((c) => c.placeId === 'kp-yanggang')).toBe(false);
  });
});
