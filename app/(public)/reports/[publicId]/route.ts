import { getPublicReport } from '@/lib/publishing/public-queries';
import { buildBorderMap } from '@/lib/map/border-map';
import { listMapGazetteer } from '@/lib/map/queries';
import { answerPublicPage } from '../../_static/public-page';

export const dynamic = 'force-dynamic';

/**
 * GET /reports/<publicId> — a published report; a retracted one shows only the retraction notice
 * (its URL stays, issue 5); an unknown id (or any other value) is 404, never cached. Read on every
 * request, answered without scripts and cacheable: a publication, republication or retraction
 * changes the page and so its ETag (app/(public)/_static/public-page.ts).
 */
export async function GET(request: Request, { params }: { params: Promise<{ publicId: string }> }): Promise<Response> {
  const { publicId } = await params;
  const report = getPublicReport({ publicId });
  if (!report) return answerPublicPage(request, { content: { kind: 'not-found' }, lastModified: 0, status: 404 });
  if (report.status === 'retracted') return answerPublicPage(request, { content: { kind: 'retracted', report }, lastModified: report.retractedAt });
  // The map marks the published (coarsened) place only: the snapshot's, never the report's own.
  const place = report.snapshot.place;
  const map = buildBorderMap({ gazetteer: listMapGazetteer(), counts: [{ placeId: place.id, country: place.country, count: 1 }], highlightPlaceId: place.id });
  return answerPublicPage(request, { content: { kind: 'report', report, map }, lastModified: report.publishedAt });
}
