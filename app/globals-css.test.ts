/**
 * The focus ring of app/globals.css is visible: at least 3:1 against the page and panel colours
 * (WCAG 2.2 1.4.11 non-text contrast; issue 20 item 8).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const css = fs.readFileSync(path.join(import.meta.dirname, 'globals.css'), 'utf8');

function variable(name: string): string {
  const match = new RegExp(`--${name}:\\s*#([0-9a-f]{6}|[0-9a-f]{3})\\b`, 'i').exec(css);
  if (!match) throw new Error(`--${name} not found`);
  const hex = match[1]!;
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`;
}

/** WCAG 2 relative luminance of '#rrggbb'. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('focus ring', () => {
  it('is drawn with --focus, 3 px', () => {
    expect(css).toMatch(/:focus-visible \{ outline: 3px solid var\(--focus\);/);
  });

  it('has at least 3:1 contrast against the page and the header panel', () => {
    for (const background of ['bg', 'panel']) expect(contrast(variable('focus'), variable(background)), background).toBeGreaterThanOrEqual(3);
  });

  it('the print stylesheet hides the site header and navigation', () => {
    expect(css).toMatch(/@media print \{[\s\S]*\.site-header[^}]*display: none/);
  });
});
