// @ts-check
const createNextIntlPlugin = require('next-intl/plugin');

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

/**
 * Headers on every response (pages, route handlers, static files). The nonce-based
 * Content-Security-Policy for pages is set per request in proxy.ts; this static policy is a floor
 * that also covers route handlers and files (both policies are enforced together).
 */
const securityHeaders = [
  { key: 'Content-Security-Policy', value: "object-src 'none'; base-uri 'none'; frame-ancestors 'none'" },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  {
    key: 'Permissions-Policy',
    value:
      'accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=(), interest-cohort=()',
  },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Separate build folders let several checkouts or test servers build side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // The benchmark's build (bench/server.ts buildApp sets FIELD_REPORTS_BENCH_BUILD=1) also takes
  // `*.bench.ts` files: the bare route handler of budget 1a (app/api/bare-handler/route.bench.ts,
  // bench/README.md). Every other build, production and tests, has Next's default extensions and
  // no such route.
  pageExtensions: process.env.FIELD_REPORTS_BENCH_BUILD === '1' ? ['tsx', 'ts', 'jsx', 'js', 'bench.ts'] : ['tsx', 'ts', 'jsx', 'js'],
  // No image optimizer: /_next/image would fetch a public photo and keep resized copies in the
  // clear under .next/cache/images, served for hours after a retraction
  // (docs/security/encryption-at-rest.md). Photos are served only by /photos/<id>.
  images: { unoptimized: true },
  // Type errors are caught by `npm run typecheck` (run in CI); the build does not repeat that work.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // The common-password list (lib/accounts/common-passwords.ts) is loaded from node_modules by the
  // server, not copied into route bundles; pino is external by Next's own default list. esbuild
  // builds the partner's service worker at build time (app/(partner)/partner/serwist/[path]/route.ts;
  // what @serwist/turbopack's withSerwist would add). nodemailer (the editors' digest,
  // lib/notifications/digest.ts) is loaded as it ships, not bundled.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'sharp', '@zxcvbn-ts/language-common', 'esbuild', 'esbuild-wasm', 'nodemailer'],
  experimental: {
    authInterrupts: true,
    serverActions: { bodySizeLimit: '12mb' },
    // proxy.ts buffers request bodies and silently cuts them at 10 MB by default, which would
    // truncate a photo near the 10 MiB limit; the upload route caps bodies itself (lib/photos).
    proxyClientMaxBodySize: '12mb',
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

module.exports = withNextIntl(nextConfig);
