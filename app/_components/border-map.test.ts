import zlib from 'node:zlib';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SHIPPED_MAP_GAZETTEER } from '@/lib/testing/gazetteer';
import { buildBorderMap } from '@/lib/map/border-map';
import { BorderMap, type BorderMapLabels } from './border-map';

/** The budget of issue 20: at most 15 KB gzip per map (the outline, towns, markers and labels). */
const MAP_GZIP_BUDGET_BYTES = 15 * 1024;

const GAZETTEER = SHIPPED_MAP_GAZETTEER;

const LABELS: BorderMapLabels = {
  title: 'Map of published reports',
  description: 'Reports at their published places.',
  place: 'Place',
  level: 'Level',
  count: 'Reports',
  onMap: 'On the map',
  drawn: 'yes',
  notDrawnCountry: 'no: published for the whole country',
  notDrawnNoPoint: 'no: no coordinates',
  highlighted: 'this report',
  empty: 'No reports.',
  kinds: { province: 'province', city: 'city', county: 'county', river: 'river', crossing: 'crossing', country: 'whole country' },
  countries: { CN: 'CHINA', KP: 'NORTH KOREA' },
  rivers: { amrok: 'Amrok-gang (Yalu)', tuman: 'Tuman-gang (Tumen)' },
};

function render(locale: 'en' | 'ko') {
  // The largest map a page can show: a count (in the thousands) at every place of the gazetteer.
  const model = buildBorderMap({
    gazetteer: GAZETTEER,
    counts: [...GAZETTEER.map((p, i) => ({ placeId: p.id, country: p.country, count: 1000 + i })), { placeId: null, country: 'KP', count: 7 }],
  });
  const html = renderToStaticMarkup(createElement(BorderMap, { id: 'm', model, labels: LABELS, locale }));
  const svg = /<svg[\s\S]*<\/svg>/.exec(html)?.[0] ?? '';
  return { html, svg };
}

describe('BorderMap', () => {
  it('stays within 15 KB gzip per map, in both languages', () => {
    for (const locale of ['en', 'ko'] as const) {
      const { svg, html } = render(locale);
      const svgGzip = zlib.gzipSync(svg, { level: 9 }).length;
      const figureGzip = zlib.gzipSync(html, { level: 9 }).length;
      expect(svgGzip, `${locale}: SVG ${svgGzip} bytes gzip`).toBeLessThanOrEqual(MAP_GZIP_BUDGET_BYTES);
      expect(figureGzip, `${locale}: map and table ${figureGzip} bytes gzip`).toBeLessThanOrEqual(MAP_GZIP_BUDGET_BYTES);
    }
  });

  it('is one named image that loads nothing: no script, no link, no other origin', () => {
    const { svg, html } = render('en');
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="m-title m-desc"/);
    expect(svg).toContain('<title id="m-title">Map of published reports</title>');
    expect(svg).toContain('<desc id="m-desc">Reports at their published places.</desc>');
    expect(svg).not.toMatch(/<script|<image|<use|<foreignObject|href=|url\(|https?:/i);
    // The table says the same: every place with its count, and why a place is not drawn.
    expect(html).toContain('<th scope="row">Yanggang Province</th><td>province</td><td>1000</td><td>yes</td>');
    expect(html).toContain('<th scope="row">North Korea</th><td>whole country</td><td>7</td><td>no: published for the whole country</td>');
  });
});

describe('BorderMap counts that overlap', () => {
  it("moves a province's count above its circle when its capital's marker covers the centre, and leaves a lone marker's count inside", () => {
    // Yanggang Province is drawn at its gazetteer point, Hyesan's: Hyesan's smaller marker sits on top.
    const model = buildBorderMap({
      gazetteer: GAZETTEER,
      counts: [
        { placeId: 'kp-yanggang', country: 'KP', count: 42 },
        { placeId: 'kp-hyesan', country: 'KP', count: 8 },
        { placeId: 'kp-sinuiju', country: 'KP', count: 5 },
      ],
    });
    const html = renderToStaticMarkup(createElement(BorderMap, { id: 'm', model, labels: LABELS, locale: 'en' }));
    const countText = (n: number) => new RegExp(`<text[^>]*>${n}</text>`).exec(html)?.[0] ?? '';
    expect(countText(42)).toContain('fill="#7c2d12"');
    expect(countText(42)).toMatch(/paint-order="stroke"/);
    for (const n of [8, 5]) expect(countText(n), String(n)).toContain('fill="#fff"');
  });
});
