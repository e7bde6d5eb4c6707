/**
 * (4) First-load JavaScript of the partner report form (/partner/reports/new, signed in as a
 * partner) against the smallest page that runs scripts (/sign-in, anonymous): the <script src>
 * files of the HTML, fetched and gzipped at level 9, summed. Also: absolute URLs to other origins
 * in the HTML, and the requests Chromium makes to other origins while loading the form page.
 */
import zlib from 'node:zlib';
import { browserHeaders, describeStatus, unavailable, type BenchContext } from '../context';
import { browserRequests } from '../browser';
import { otherOriginUrls, scriptsOf } from '../html';
import { timedGet } from '../load';
import type { BundleResult, PageScripts } from '../results';
import { SESSION_COOKIE } from '../session';

export const FORM_PATH = '/partner/reports/new';
/** The partner's service worker script (app/(partner)/partner/_device/offline-pages.ts). */
export const SERVICE_WORKER_PATH = '/partner/serwist/sw.js';
/**
 * The page the form is compared with: /sign-in, the smallest page that still runs the app's
 * scripts. The front page was the other candidate until issue 20 made the public pages script-free
 * (0 bytes, which no ratio can be taken against; their 0 is budget 7d).
 */
export const SMALL_PAGE_CANDIDATES = ['/sign-in'] as const;

const gzip = (data: Buffer | string) => zlib.gzipSync(data, { level: 9 }).length;

/** Strings that survive minification and betray a library (the file holds it, most likely). */
const LIBRARY_MARKERS: [string, RegExp][] = [
  ['zod', /\$ZodType|ZodError/],
  ['react-hook-form', /shouldUnregister|criteriaMode/],
  ['temporal-polyfill', /Temporal\.(?:Instant|PlainDateTime|ZonedDateTime)|TemporalError/],
  ['next-intl / intl-messageformat', /IntlMessageFormat|INVALID_MESSAGE|FORMAT_ERROR/],
  ['react-dom', /__reactContainer|react-dom\.production|Minified React error/],
  ['report form messages', /report\.(?:errors|form)\./],
  ['visx / d3', /d3-scale|scaleLinear|scaleBand/],
];

/** Library hints for one script's text. */
export function libraryHints(text: string): string[] {
  return LIBRARY_MARKERS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

/** Script sizes of one page as served by `origin` (script files cached across pages). */
export async function pageScripts(origin: string, path: string, headers: Record<string, string>, cache: Map<string, { bytes: number; gzipBytes: number; hints: string[] }>): Promise<PageScripts & { html: string }> {
  const page = await timedGet(origin + path, headers);
  const { external, inline } = scriptsOf(page.text);
  const scripts: PageScripts['scripts'] = [];
  for (const src of external) {
    const url = new URL(src, origin + path);
    let sizes = cache.get(url.href);
    if (!sizes) {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`${url.pathname} answered ${response.status}`);
      const body = Buffer.from(await response.arrayBuffer());
      sizes = { bytes: body.length, gzipBytes: gzip(body), hints: libraryHints(body.toString('utf8')) };
      cache.set(url.href, sizes);
    }
    scripts.push({ src: url.origin === new URL(origin).origin ? url.pathname : url.href, ...sizes });
  }
  return {
    path,
    status: page.status,
    scripts,
    gzipTotal: scripts.reduce((sum, s) => sum + s.gzipBytes, 0),
    inlineGzipBytes: inline.length ? gzip(inline.join('\n')) : 0,
    htmlGzipBytes: gzip(page.text),
    html: page.text,
  };
}

export async function measureBundle(context: BenchContext): Promise<BundleResult> {
  const server = context.servers.small;
  const partnerCookie = context.cookies.small.partner;
  const cache = new Map<string, { bytes: number; gzipBytes: number; hints: string[] }>();
  const form = await pageScripts(server.origin, FORM_PATH, browserHeaders(server, partnerCookie), cache);
  if (form.status !== 200) {
    const probe = await timedGet(server.origin + FORM_PATH, browserHeaders(server, partnerCookie));
    return unavailable(describeStatus(FORM_PATH, form.status, probe.headers.get('location')));
  }
  const candidates: (PageScripts & { html: string })[] = [];
  for (const path of SMALL_PAGE_CANDIDATES) {
    const page = await pageScripts(server.origin, path, browserHeaders(server, null), cache);
    if (page.status === 200) candidates.push(page);
  }
  const smallest = candidates.reduce<(PageScripts & { html: string }) | null>((best, page) => (!best || page.gzipTotal < best.gzipTotal ? page : best), null);
  if (!smallest) return unavailable(`none of ${SMALL_PAGE_CANDIDATES.join(', ')} answered 200`);

  const otherOriginInHtml = [...new Set([form, ...candidates].flatMap((page) => otherOriginUrls(page.html, server.origin)))];
  const cookieValue = partnerCookie.slice(SESSION_COOKIE.length + 1);
  const loaded = await browserRequests(server.origin, [FORM_PATH], cookieValue);
  const formLoad = loaded.pages?.[0];
  const browser =
    !formLoad ? { others: null, scripts: null, note: loaded.note }
    : formLoad.status !== 200 ? { others: null, scripts: null, note: `Chromium got ${formLoad.status ?? 'no response'} for ${FORM_PATH}` }
    : { others: formLoad.otherOrigin, scripts: formLoad.scripts, note: 'Chromium loaded the page' };
  const worker = await timedGet(server.origin + SERVICE_WORKER_PATH, browserHeaders(server, partnerCookie));
  const serviceWorker = worker.status === 200 ? { path: SERVICE_WORKER_PATH, bytes: Buffer.byteLength(worker.text), gzipBytes: gzip(worker.text) } : null;
  const strip = ({ html: _html, ...rest }: PageScripts & { html: string }): PageScripts => rest;
  return {
    available: true,
    formPage: strip(form),
    smallestPage: strip(smallest),
    candidates: candidates.map((c) => ({ path: c.path, gzipTotal: c.gzipTotal })),
    ratio: smallest.gzipTotal === 0 ? Number.POSITIVE_INFINITY : Math.round((form.gzipTotal / smallest.gzipTotal) * 1000) / 1000,
    otherOriginInHtml,
    otherOriginInBrowser: browser.others,
    browserNote: browser.note,
    browserScriptRequests: browser.scripts,
    serviceWorker,
    serviceWorkerNote: serviceWorker ? 'fetched signed in as a partner' : `${SERVICE_WORKER_PATH} answered ${worker.status}`,
  };
}
