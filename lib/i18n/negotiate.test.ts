import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './negotiate';

describe('negotiateLocale (Accept-Language on a first visit)', () => {
  it('gives a Korean phone Korean and an English one English', () => {
    expect(negotiateLocale('ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('ko');
    expect(negotiateLocale('ko')).toBe('ko');
    expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
    expect(negotiateLocale('KO-kr')).toBe('ko');
  });

  it('follows the weights, ties in the order sent', () => {
    expect(negotiateLocale('en;q=0.5, ko;q=0.8')).toBe('ko');
    expect(negotiateLocale('ko;q=0.5, en;q=0.5')).toBe('ko');
    expect(negotiateLocale('zh-CN, ko;q=0.3, en;q=0.2')).toBe('ko');
  });

  it('never picks a language marked not acceptable (q=0)', () => {
    expect(negotiateLocale('ko;q=0, en;q=0.1')).toBe('en');
    expect(negotiateLocale('ko;q=0')).toBeNull();
  });

  it('names nothing for unknown languages, wildcards, junk and nothing at all', () => {
    expect(negotiateLocale('zh-CN,zh;q=0.9')).toBeNull();
    expect(negotiateLocale('*')).toBeNull();
    expect(negotiateLocale('kor')).toBeNull();
    expect(negotiateLocale('')).toBeNull();
    expect(negotiateLocale(null)).toBeNull();
    expect(negotiateLocale('ko;q=abc, <script>')).toBe('ko');
    expect(negotiateLocale(`${'x,'.repeat(100_000)}ko`)).toBeNull();
  });
});
