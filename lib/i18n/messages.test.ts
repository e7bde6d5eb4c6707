import fs from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { loadMessages } from '@/lib/i18n/messages';
import { LOCALES, toLocale } from './config';

const dir = path.join(__dirname, 'messages');

/** Every leaf key of a nested message object, as dotted paths. */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

function placeholders(text: string): string[] {
  // ICU argument names: {name}, {count, plural, …}
  return [...text.matchAll(/\{\s*([A-Za-z_][\w]*)\s*[,}]/g)].map((m) => m[1]!).sort();
}

function readNamespace(locale: string, file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, locale, file), 'utf8'));
}

function get(obj: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

describe('message catalogues', () => {
  const namespaces = [...new Set(LOCALES.flatMap((l) => fs.readdirSync(path.join(dir, l)).filter((f) => f.endsWith('.json'))))].sort();

  it('has message files', () => {
    expect(namespaces).toContain('common.json');
  });

  for (const file of namespaces) {
    it(`${file}: every key exists in every language, with the same placeholders`, () => {
      const catalogues = Object.fromEntries(LOCALES.map((l) => [l, fs.existsSync(path.join(dir, l, file)) ? readNamespace(l, file) : null]));
      for (const locale of LOCALES) expect(catalogues[locale], `${locale}/${file} is missing`).not.toBeNull();
      const en = catalogues.en!;
      const enKeys = leafKeys(en).sort();
      for (const locale of LOCALES) {
        const other = catalogues[locale]!;
        expect(leafKeys(other).sort(), `${locale}/${file} keys`).toEqual(enKeys);
        for (const key of enKeys) {
          const a = get(en, key);
          const b = get(other, key);
          expect(typeof b, `${locale}/${file} ${key}`).toBe('string');
          expect((b as string).trim().length, `${locale}/${file} ${key} is empty`).toBeGreaterThan(0);
          expect(placeholders(b as string), `${locale}/${file} ${key} placeholders`).toEqual(placeholders(a as string));
        }
      }
    });
  }
});

describe('toLocale', () => {
  it('falls back to English for unknown or hostile values', () => {
    expect(toLocale('ko')).toBe('ko');
    for (const bad of ['xx', 'KO', '', '../en', '__proto__', undefined, null, 7]) expect(toLocale(bad)).toBe('en');
  });
});

describe('plurals readers see', () => {
  it("the statistics page's note on omitted weeks reads right for one week and for several (found by a new reader: '1 earlier weeks')", () => {
    const t = createTranslator({ locale: 'en', messages: loadMessages('en') as never, namespace: 'public' as never }) as unknown as (key: string, values: Record<string, number>) => string;
    expect(t('stats.weeksOmitted', { shown: 26, omitted: 1 })).toBe('Showing the latest 26 weeks; 1 earlier week with sightings is in the CSV export.');
    expect(t('stats.weeksOmitted', { shown: 26, omitted: 3 })).toBe('Showing the latest 26 weeks; 3 earlier weeks with sightings are in the CSV export.');
  });
});
