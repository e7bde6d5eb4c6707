import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReportMessageKey, REPORT_ERROR_NAMES, reportMessage, reportMessageValues } from './messages';

const MESSAGES_DIR = path.join(__dirname, '..', 'i18n', 'messages');

function readErrors(locale: 'en' | 'ko'): Record<string, string> {
  const catalogue = JSON.parse(readFileSync(path.join(MESSAGES_DIR, locale, 'report.json'), 'utf8')) as {
    errors: Record<string, string>;
  };
  return catalogue.errors;
}

function placeholderNames(text: string): string[] {
  return [...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*[,}]/g)].map((match) => match[1] ?? '').sort();
}

describe('report messages', () => {
  it.each(['en', 'ko'] as const)('has a %s text for every key the code uses, and no text without a key', (locale) => {
    const errors = readErrors(locale);
    expect(Object.keys(errors).sort()).toEqual([...REPORT_ERROR_NAMES].sort());
    for (const name of REPORT_ERROR_NAMES) expect(errors[name]?.trim(), name).toBeTruthy();
  });

  it('gives each placeholder of a text its value, in both languages', () => {
    for (const locale of ['en', 'ko'] as const) {
      const errors = readErrors(locale);
      for (const name of REPORT_ERROR_NAMES) {
        const key = reportMessage(name);
        expect(placeholderNames(errors[name] ?? ''), `${locale} ${key}`).toEqual(Object.keys(reportMessageValues(key)).sort());
      }
    }
  });

  it('carries the product limits into the texts', () => {
    expect(reportMessageValues('report.errors.titleTooLong')).toEqual({ max: 120 });
    expect(reportMessageValues('report.errors.narrativeTooLong')).toEqual({ max: 20_000 });
    expect(reportMessageValues('report.errors.countOutOfRange')).toEqual({ min: 0, max: 100_000 });
    expect(reportMessageValues('report.errors.tooManyAgencies')).toEqual({ max: 30 });
    expect(reportMessageValues('report.errors.titleRequired')).toEqual({});
  });

  it('recognises only its own keys', () => {
    expect(isReportMessageKey('report.errors.titleTooLong')).toBe(true);
    expect(isReportMessageKey('report.errors.nope')).toBe(false);
    expect(isReportMessageKey('Invalid input: expected string')).toBe(false);
    expect(isReportMessageKey(42)).toBe(false);
  });
});
