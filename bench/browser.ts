/**
 * The requests Chromium (Debian's, as the e2e tests use it) makes while loading pages of the
 * app: for budget (4) the partner's form signed in, for budget (7e) the public pages anonymous.
 * Only requests the pages themselves cause are counted: the top-level document is not one of them.
 */
import { execSync } from 'node:child_process';
import { SESSION_COOKIE } from './session';

/** What loading one page asked for besides itself. */
export type PageRequests = {
  path: string;
  status: number | null;
  /** Requests to another origin (full URLs). */
  otherOrigin: string[];
  /** Requests to the app's own origin besides the page (paths), scripts among them. */
  sameOrigin: string[];
  scripts: number;
};

/** The pages' requests, or null with the reason when Chromium cannot run here. */
export type BrowserRequests = { pages: PageRequests[] | null; note: string };

/**
 * Load each of `paths` on `origin` in a fresh context (signed in with the session cookie value
 * `cookieValue`, or anonymous when null), scripts on, until the load event and then network idle
 * (at most 10 s, for hydration, prefetches and lazy chunks), and list what each asked for.
 * Chromium: CHROMIUM_PATH or `command -v chromium`; never throws (the reason is the note).
 */
export async function browserRequests(origin: string, paths: readonly string[], cookieValue: string | null): Promise<BrowserRequests> {
  let executablePath: string;
  try {
    executablePath = process.env.CHROMIUM_PATH || execSync('command -v chromium', { encoding: 'utf8' }).trim();
  } catch {
    return { pages: null, note: 'chromium not found (apt-get install -y chromium); HTML scan only' };
  }
  try {
    const { chromium } = await import('@playwright/test');
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    });
    try {
      const base = new URL(origin);
      const pages: PageRequests[] = [];
      for (const path of paths) {
        const browserContext = await browser.newContext();
        if (cookieValue !== null) {
          await browserContext.addCookies([{ name: SESSION_COOKIE, value: cookieValue, domain: base.hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
        }
        const page = await browserContext.newPage();
        const seen: PageRequests = { path, status: null, otherOrigin: [], sameOrigin: [], scripts: 0 };
        page.on('request', (request) => {
          const requestUrl = request.url();
          if (/^(data|blob|about|chrome-extension):/.test(requestUrl)) return;
          if (request.isNavigationRequest() && request.frame() === page.mainFrame()) return;
          const url = new URL(requestUrl);
          if (url.origin !== base.origin) seen.otherOrigin.push(requestUrl);
          else seen.sameOrigin.push(url.pathname + url.search);
          if (request.resourceType() === 'script') seen.scripts += 1;
        });
        const response = await page.goto(origin + path, { waitUntil: 'load', timeout: 30_000 });
        seen.status = response?.status() ?? null;
        await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
        pages.push(seen);
        await browserContext.close();
      }
      return { pages, note: 'Chromium loaded the pages' };
    } finally {
      await browser.close();
    }
  } catch (error) {
    return { pages: null, note: `Chromium failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}
