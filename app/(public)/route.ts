import { lastPublicChangeAt } from '@/lib/publishing/public-queries';
import { answerPublicPage } from './_static/public-page';

export const dynamic = 'force-dynamic';

/** GET / — the front page, without scripts and cacheable (app/(public)/_static/public-page.ts). */
export function GET(request: Request): Response {
  return answerPublicPage(request, { content: { kind: 'front' }, lastModified: lastPublicChangeAt() });
}
