/**
 * The static renderer of the public pages (render.tsx): no script of any kind, the same bytes for
 * the same data, the reader's language in `lang`, a description, the language links, and Korean
 * free text marked inside an English page. Rendered here as public-page.ts does at run time.
 */
import { describe, expect, it } from 'vitest';
import { loadMessages } from '@/lib/i18n/messages';
import { localIso, type PublicationSnapshot } from '@/lib/publishing/snapshot';
import { buildBorderMap } from '@/lib/map/border-map';
import { SHIPPED_MAP_GAZETTEER } from '@/lib/testing/gazetteer';
import { renderPublicPage } from './render';
import type { PublicPageContent, PublicPageInput } from './types';

const snapshot: PublicationSnapshot = {
  version: 2,
  title: { en: 'Night crossings near the river', ko: '' },
  summary: { en: 'Trucks crossed after sunset.', ko: '' },
  place: { id: 'kp-yanggang', kind: 'province', country: 'KP', nameEn: 'Yanggang Province', nameKo: '량강도' },
  placeCoarsening: 'province',
  attribution: { en: 'a reporting partner in Yanggang Province', ko: '량강도의 한 취재 협력자' },
  period: {
    start: Date.UTC(2018, 6, 11, 15),
    end: Date.UTC(2018, 6, 12, 15),
    choice: 'day',
    label: { en: '2018-07-12', ko: '2018-07-12' },
    timeZone: 'Asia/Pyongyang',
    startLocal: localIso(Date.UTC(2018, 6, 11, 15), 'Asia/Pyongyang'),
    endLocal: localIso(Date.UTC(2018, 6, 12, 15), 'Asia/Pyongyang'),
  },
  grading: null,
  vehicles: [{ vehicleType: 'truck', count: 12, isEstimate: false, direction: 'into_kp', colours: '흰색', cargo: 'electronics' }],
  goods: [{ categoryId: 'coal', categoryNameEn: 'Coal', categoryNameKo: '석탄', description: 'anthracite', direction: 'out_of_kp', quantity: 30, unit: '톤', value: null, currency: null }],
  agencies: [{ agencyId: null, nameEn: '무역회사', nameKo: '무역회사', role: 'protection' }],
  firstPublishedAt: Date.UTC(2018, 6, 14),
};

/** The report page's map: its one published place. */
const reportMap = buildBorderMap({ gazetteer: SHIPPED_MAP_GAZETTEER, counts: [{ placeId: 'kp-yanggang', country: 'KP', count: 1 }], highlightPlaceId: 'kp-yanggang' });

function input(content: PublicPageContent, locale: 'en' | 'ko' = 'en', path = '/'): PublicPageInput {
  return { locale, messages: loadMessages(locale), path, query: '', content };
}

const PAGES: [string, PublicPageContent, string][] = [
  ['front', { kind: 'front' }, '/'],
  ['report', { kind: 'report', report: { status: 'published', publicId: 'AAAAAAAAAAAAAAAA', publishedAt: Date.UTC(2018, 6, 14), snapshot }, map: reportMap }, '/reports/AAAAAAAAAAAAAAAA'],
  ['retracted', { kind: 'retracted', report: { status: 'retracted', publicId: 'AAAAAAAAAAAAAAAA', retractedAt: Date.UTC(2018, 7, 1), reason: 'Not confirmed.' } }, '/reports/AAAAAAAAAAAAAAAA'],
  ['not found', { kind: 'not-found' }, '/reports/x'],
];

describe('renderPublicPage', () => {
  it.each(PAGES)('%s: a whole document with no script, the same bytes twice', (_name, content, path) => {
    const first = renderPublicPage(input(content, 'en', path));
    expect(first.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(first).not.toMatch(/<script|nonce=|\bon[a-z]+=|javascript:/i);
    expect(first).toMatch(/<meta name="description" content="[^"]{10,}"\/>/);
    expect(first).toContain('<style>');
    expect(renderPublicPage(input(content, 'en', path))).toBe(first);
  });

  it('speaks Korean with ?lang=ko links and keeps the language in the links it makes', () => {
    const html = renderPublicPage(input({ kind: 'front' }, 'ko'));
    expect(html.startsWith('<!DOCTYPE html><html lang="ko">')).toBe(true);
    expect(html).toContain('href="/reports?lang=ko"');
    // The switch back is a plain link, marked with the language it names.
    expect(html).toMatch(/<a href="\/" lang="en" hrefLang="en">English<\/a>/);
  });

  it('marks Korean text inside an English page, and names the report in title and description', () => {
    const [, content, path] = PAGES[1]!;
    const html = renderPublicPage(input(content, 'en', path));
    expect(html).toContain('<span lang="ko">흰색</span>');
    // Free-text units and agencies a partner typed are marked too.
    expect(html).toContain('30 <span lang="ko">톤</span>');
    expect(html).toMatch(/<li><span lang="ko">무역회사<\/span> \([^)]+\)<\/li>/);
    expect(html).toContain('<title>Night crossings near the river · Field Reports</title>');
    expect(html).toContain('Yanggang Province, 2018-07-12');
    // The vehicles table scrolls in a focusable, named region.
    expect(html).toMatch(/<div class="table-scroll" tabindex="0" role="region" aria-label="[^"]+">/i);
    // The map is inline SVG in the page (no request of its own), named in the reader's language.
    expect(html).toMatch(/<svg role="img" aria-labelledby="report-map-title report-map-desc"/);
    expect(html).toContain('<title id="report-map-title">Map of the place this report is published for</title>');
    expect(html).not.toMatch(/<(img|image|use|iframe|object)\b/i);
  });
});
