import { getTranslations } from 'next-intl/server';
import { PARTNER_HOME } from '../partner/_device/offline-pages';

/**
 * The web app manifest, linked from partner pages only (../partner/layout.tsx): installing puts
 * the partner's report list on the home screen, run by the service worker of the /partner scope.
 * Its name is neutral ("Notes"): an icon named after the site on a phone at a checkpoint is
 * itself a danger (docs/security/device-copies.md). Served outside /partner because browsers
 * fetch manifests without cookies, which proxy.ts would send to sign-in.
 */
export async function GET() {
  const t = await getTranslations('device.manifest');
  const manifest = {
    name: t('name'),
    short_name: t('shortName'),
    start_url: PARTNER_HOME,
    scope: PARTNER_HOME,
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#ffffff',
    icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' }],
  };
  return new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'no-store' } });
}
