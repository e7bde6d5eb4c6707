import { createSerwistRoute } from '@serwist/turbopack';

/**
 * The partner's service worker, /partner/serwist/sw.js (and its source map): Serwist's Turbopack
 * route bundles ../../_device/sw.ts with esbuild when the app is built (a static route: nothing is
 * compiled at run time) and answers with `Service-Worker-Allowed: /`; proxy.ts adds the CSP and
 * `Cache-Control: private, no-store` as for every partner path, and redirects a browser without a
 * session to sign-in, so no worker is installed or updated for someone signed out. No precache
 * manifest: the worker keeps only what a partner page asks for (docs/security/device-copies.md).
 */
const serwistRoute = createSerwistRoute({
  swSrc: 'app/(partner)/partner/_device/sw.ts',
  useNativeEsbuild: true,
  globPatterns: [],
  // A classic script (no imports are left after bundling): browsers without module workers run it.
  esbuildOptions: { format: 'iife' },
});

// Written out (not destructured) so that Next.js and the route listing of the tests read them.
export const dynamic = 'force-static';
export const dynamicParams = false;
export const revalidate = false;
export const generateStaticParams = serwistRoute.generateStaticParams;
export const GET = serwistRoute.GET;
