import { answerPublicPage } from '../_static/public-page';

export const dynamic = 'force-dynamic';

/**
 * Every path the app does not know (any method): the public not-found page, 404, rendered like the
 * other public pages without any script and never stored by a cache (issue 20 item 1, "the
 * public errors"; docs/decisions/0014-script-free-public-pages.md). Without it, Next.js would
 * answer with its own not-found page, which carries the framework's scripts and a nonce policy.
 * Routes that exist always win over this catch-all; outside the areas with scripts proxy.ts gives
 * the answer the static policy (lib/http/public-pages.ts `isOutsideScriptAreas`).
 */
function notFound(request: Request): Response {
  return answerPublicPage(request, { content: { kind: 'not-found' }, lastModified: 0, status: 404 });
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
