/**
 * (7) The public site through the reference cache (issue 20 items 1–3): deploy/nginx/field-reports.conf
 * run by bench/nginx.ts in front of the large database's server.
 *
 * (7a, 7b) `/reports/<id>` and `/stats`, anonymous: requests per second straight from the app, then
 * through nginx (the same load: wrk — bench/wrk.ts — or autocannon without it, the same
 * connections and seconds), after one request
 * that fills the cache; the ratio cached ÷ direct (budget ≥ 50). Every cached response is checked
 * to be a cache hit (`X-Cache-Status`).
 * (7c) A retraction: another published report is fetched through nginx until it is a cache hit,
 * then retracted through the publishing data layer as an editor's action does (`retractReport`,
 * the demo editor, the report's current version), and nginx is asked every 100 ms until it serves
 * the retraction notice: the seconds from the retraction's commit to that answer (budget ≤ 60).
 * The worst case on purpose: the cached copy was fresh when the report was retracted.
 * (7d) The JavaScript of the public pages: `<script>` elements (any kind) and the gzipped bytes of
 * the script files they name, on `/`, `/reports`, `/reports/<id>`, `/stats` (budget 0; ~186 KiB
 * before issue 20).
 * (7e, 7f) The border maps (issue 20 item 4): each `<figure class="border-map">` of `/reports`,
 * `/reports/<id>` and `/stats` gzipped (level 9; budget ≤ 15 KiB per map), and the requests
 * Chromium makes while loading the four public pages anonymous, scripts on: none may go to
 * another origin (budget 0); the same-origin ones are listed (the maps are inline: they add none).
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { unavailable, type BenchContext } from '../context';
import { browserRequests } from '../browser';
import { borderMapsOf, scriptsOf } from '../html';
import { runLoad, timedGet } from '../load';
import { startNginx } from '../nginx';
import { findOrInstallWrk, runWrk } from '../wrk';
import type { BenchKey } from '../at-rest';
import { benchAccounts } from '../generate';
import type { CacheResult, CachedPage, LoadFigures, PublicMap, PublicPageJs, RetractionDelay, Unavailable } from '../results';

/** What the retraction notice page says (lib/i18n/messages/en/public.json "retracted.title"). */
const RETRACTION_HEADING = '<h1>Retracted report</h1>';
const POLL_MS = 100;
const RETRACTION_TIMEOUT_MS = 120_000;

/** Published report ids on the first page of `/reports` of `origin`, newest first. */
async function publishedIds(origin: string): Promise<string[]> {
  const page = await timedGet(`${origin}/reports`);
  if (page.status !== 200) throw new Error(`/reports answered ${page.status}`);
  return [...new Set([...page.text.matchAll(/href="\/reports\/([A-Za-z0-9_-]{16})"/g)].map((m) => m[1]!))];
}

/** Fetch `url` until nginx says HIT (at most 5 tries); returns the last cache status. */
async function warm(url: string): Promise<string> {
  let status = '';
  for (let i = 0; i < 5 && status !== 'HIT'; i += 1) {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    await response.arrayBuffer();
    status = response.headers.get('x-cache-status') ?? '(none)';
  }
  return status;
}

/** The scripts of one public page. */
async function publicPageJs(origin: string, path: string): Promise<PublicPageJs> {
  const page = await timedGet(origin + path);
  const { external, inline } = scriptsOf(page.text);
  let gzipBytes = 0;
  for (const src of external) {
    const response = await fetch(new URL(src, origin + path), { signal: AbortSignal.timeout(30_000) });
    gzipBytes += zlib.gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length;
  }
  const scriptElements = (page.text.match(/<script\b/gi) ?? []).length;
  return { path, status: page.status, scriptElements, externalScripts: external.length, inlineScripts: inline.length, gzipBytes };
}

/** Retract `publicId` on the large database through the data layer, as the demo editor. Returns the commit time (ms). */
async function retractAsEditor(context: BenchContext, key: BenchKey, publicId: string): Promise<number> {
  const server = context.servers.large;
  process.env.DATA_DIR = server.dataDir;
  const { closeDb, getSqlite } = await import('@/db/client');
  const { setDataKey } = await import('@/lib/at-rest/keys');
  closeDb();
  setDataKey(key.dataKey, 'key-file');
  try {
    const row = getSqlite()
      .prepare('SELECT r.id AS id, r.version AS version FROM publications p JOIN reports r ON r.id = p.report_id WHERE p.public_id = ?')
      .get(publicId) as { id: number; version: number } | undefined;
    if (!row) throw new Error(`no publication ${publicId}`);
    const { retractReport } = await import('@/lib/publishing/publish');
    const editor = benchAccounts(server.database).editor;
    const result = retractReport({ actor: { id: editor.id, role: 'editor' }, reportId: row.id, expectedVersion: row.version, reason: 'Retracted by the benchmark (cache measurement).' });
    if (!result.ok) throw new Error(`retraction refused: ${result.code}`);
    return Date.now();
  } finally {
    closeDb();
  }
}

export async function measureCache(context: BenchContext, { key, tmp }: { key: BenchKey; tmp: string }): Promise<CacheResult> {
  const app = context.servers.large;
  const ids = await publishedIds(app.origin);
  if (ids.length < 2) return unavailable(`fewer than two published reports on /reports (${ids.length})`);
  const [readId, retractId] = ids as [string, string];

  context.log('cache: public pages’ JavaScript');
  const publicJs: PublicPageJs[] = [];
  for (const page of ['/', '/reports', `/reports/${readId}`, '/stats']) publicJs.push(await publicPageJs(app.origin, page));

  context.log('cache: the border maps, and what Chromium loads with the public pages');
  const publicMaps: PublicMap[] = [];
  for (const page of ['/reports', `/reports/${readId}`, '/stats']) {
    const answer = await timedGet(app.origin + page);
    const maps = borderMapsOf(answer.text);
    const sizes = maps.map((map) => ({ bytes: Buffer.byteLength(map), gzipBytes: zlib.gzipSync(map, { level: 9 }).length }));
    const largest = sizes.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a), { bytes: 0, gzipBytes: 0 });
    publicMaps.push({ path: page, status: answer.status, maps: maps.length, ...largest });
  }
  const publicRequests = await browserRequests(app.origin, ['/', '/reports', `/reports/${readId}`, '/stats'], null);

  context.log('cache: starting nginx with deploy/nginx/field-reports.conf');
  const nginx = await startNginx({ dir: path.join(tmp, 'nginx'), appPort: app.port, listenPort: context.options.port + 4, log: context.log });
  try {
    const seconds = context.options.loadSeconds;
    const connections = 20;
    // wrk when it can be had (bench/wrk.ts: a JavaScript load tool is the ceiling of a cached
    // page on 2 cores); autocannon otherwise, said in the result.
    let wrk: string | null = null;
    let toolNote = 'wrk';
    try {
      wrk = findOrInstallWrk(context.log).binary;
    } catch (error) {
      toolNote = `autocannon (${error instanceof Error ? error.message : String(error)})`;
    }
    const load = async (origin: string, pagePath: string): Promise<LoadFigures> => {
      if (wrk) return runWrk({ binary: wrk, url: origin + pagePath, connections, seconds });
      const { samples: _samples, ...figures } = await runLoad({ origin, connections, seconds, requests: [{ method: 'GET', path: pagePath }] });
      return figures;
    };
    const pages: CachedPage[] = [];
    for (const [label, pagePath] of [['report', `/reports/${readId}`], ['stats', '/stats']] as const) {
      context.log(`cache: ${pagePath} direct, then through nginx (${seconds} s each, ${wrk ? 'wrk' : 'autocannon'})`);
      const direct = await load(app.origin, pagePath);
      const cacheStatus = await warm(nginx.origin + pagePath);
      const cached = await load(nginx.origin, pagePath);
      const after = await fetch(nginx.origin + pagePath);
      await after.arrayBuffer();
      pages.push({
        label,
        path: pagePath,
        direct,
        cached,
        ratio: cached.requestsPerSecond / Math.max(direct.requestsPerSecond, 0.001),
        cacheStatus: `${cacheStatus} before, ${after.headers.get('x-cache-status') ?? '(none)'} after`,
      });
    }

    context.log(`cache: retraction of /reports/${retractId} until nginx serves the notice`);
    const url = `${nginx.origin}/reports/${retractId}`;
    const statusBefore = await warm(url);
    let retraction: RetractionDelay | Unavailable;
    try {
      const retractedAt = await retractAsEditor(context, key, retractId);
      const direct = await timedGet(`${app.origin}/reports/${retractId}`);
      const directShowsNotice = direct.text.includes(RETRACTION_HEADING);
      let polls = 0;
      let seconds = Number.NaN;
      while (Date.now() - retractedAt < RETRACTION_TIMEOUT_MS) {
        polls += 1;
        const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
        const text = await response.text();
        if (text.includes(RETRACTION_HEADING)) {
          seconds = (Date.now() - retractedAt) / 1000;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      retraction = Number.isNaN(seconds)
        ? unavailable(`nginx still served the report ${RETRACTION_TIMEOUT_MS / 1000} s after the retraction`)
        : { available: true, path: `/reports/${retractId}`, seconds, polls, cacheStatusBefore: statusBefore, directShowsNotice };
    } catch (error) {
      retraction = unavailable(error instanceof Error ? error.message : String(error));
    }
    return { available: true, nginx: { version: nginx.version, installed: nginx.installed, port: context.options.port + 4 }, loadTool: toolNote, connections, pages, retraction, publicJs, publicMaps, publicRequests };
  } finally {
    await nginx.stop();
  }
}
