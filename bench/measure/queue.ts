/**
 * (2) The moderation queue's first page and a deep page (its "next" link followed up to
 * `queueDepth` times), and (issue 19) its first page with a text search, at N against 1,000
 * reports: median latency ratio, signed in as the demo editor.
 */
import { browserHeaders, latencyPair, RouteUnavailable, unavailable, type BenchContext, type Side } from '../context';
import { nextPageHref } from '../html';
import { timedGet } from '../load';
import type { LatencyPair, QueueResult, Unavailable } from '../results';

/**
 * What the search figure (2c) searches: a word of the synthetic place details ("by the old ferry
 * landing", about one report in nine, bench/synthetic.ts), as an editor looks up a landmark. Its
 * hits grow with N, like a real desk's (10,647 at N = 100,000): a search ranks and counts within
 * its scope, the newest 1,000 matching reports (docs/decisions/0012-queue-search.md).
 */
export const QUEUE_SEARCH_TERM = 'ferry';

/** Where the queue may live; the first that renders a page with a "next" link is used. */
export const QUEUE_PATH_CANDIDATES = ['/editor/queue', '/editor/reports', '/editor'] as const;

function samePath(origin: string, href: string): string {
  const url = new URL(href, origin);
  if (url.origin !== new URL(origin).origin) throw new Error(`The queue's next link leaves the site: ${href}`);
  return url.pathname + url.search;
}

/** The queue path on this app, or the reason there is none. */
export async function findQueuePath(context: BenchContext): Promise<{ path: string; html: string } | { reason: string }> {
  const server = context.servers.large;
  const seen: string[] = [];
  for (const path of QUEUE_PATH_CANDIDATES) {
    const page = await timedGet(server.origin + path, browserHeaders(server, context.cookies.large.editor));
    seen.push(`${path} → ${page.status}${page.status === 200 && !nextPageHref(page.text) ? ' (no next-page link)' : ''}`);
    if (page.status === 200 && nextPageHref(page.text)) return { path, html: page.text };
  }
  return { reason: `no moderation queue with a next-page link found (${seen.join('; ')})` };
}

/** Follow the next link up to `depth` times; returns the path reached and how deep it got. */
async function followNext(context: BenchContext, side: Side, startPath: string, depth: number): Promise<{ path: string; depth: number }> {
  const server = context.servers[side];
  let path = startPath;
  let reached = 0;
  for (; reached < depth; reached += 1) {
    const page = await timedGet(server.origin + path, browserHeaders(server, context.cookies[side].editor));
    if (page.status !== 200) throw new Error(`${path} on the ${side} database answered ${page.status}`);
    const next = nextPageHref(page.text);
    if (!next) break;
    const nextPath = samePath(server.origin, next);
    if (nextPath === path) break;
    path = nextPath;
  }
  return { path, depth: reached };
}

/** The queue's first page searched for QUEUE_SEARCH_TERM; not available when the page marks no hit. */
async function measureSearch(context: BenchContext, queuePath: string, cookie: Record<Side, string | null>): Promise<(LatencyPair & { term: string }) | Unavailable> {
  const path = `${queuePath}?q=${encodeURIComponent(QUEUE_SEARCH_TERM)}`;
  context.log(`queue: ${path}, a text search`);
  try {
    const check = ({ text }: { text: string }) => (text.includes('<mark>') ? null : `no search hit marked on the page (is there a search?)`);
    const pair = await latencyPair({ context, label: 'queue-search', paths: { large: path, small: path }, cookie, check });
    return { ...pair, term: QUEUE_SEARCH_TERM };
  } catch (error) {
    if (error instanceof RouteUnavailable) return unavailable(error.message);
    throw error;
  }
}

export async function measureQueue(context: BenchContext): Promise<QueueResult> {
  const found = await findQueuePath(context);
  if ('reason' in found) return unavailable(found.reason);
  const cookie = { large: context.cookies.large.editor, small: context.cookies.small.editor };
  context.log(`queue: ${found.path}, first page`);
  const firstPage = await latencyPair({ context, label: 'queue-first', paths: { large: found.path, small: found.path }, cookie });
  const search = await measureSearch(context, found.path, cookie);

  // The small database decides how deep both go (1,000 reports may hold fewer than 20 pages).
  const small = await followNext(context, 'small', found.path, context.options.queueDepth);
  if (small.depth === 0) return { available: true, firstPage, search, deepPage: unavailable('the small database has only one queue page') };
  const large = await followNext(context, 'large', found.path, small.depth);
  if (large.depth !== small.depth) {
    return { available: true, firstPage, search, deepPage: unavailable(`the large database's queue ended after ${large.depth} pages`) };
  }
  context.log(`queue: deep page (${small.depth} pages in) ${large.path}`);
  const deep = await latencyPair({ context, label: 'queue-deep', paths: { large: large.path, small: small.path }, cookie });
  return { available: true, firstPage, search, deepPage: { ...deep, depth: small.depth } };
}
