import { describe, expect, it } from 'vitest';
import { languageOfText } from './text-language';

describe('languageOfText', () => {
  it('tells Korean from English by script', () => {
    expect(languageOfText('목재')).toBe('ko');
    expect(languageOfText('흰색, 은색 12대')).toBe('ko');
    expect(languageOfText('white and silver')).toBe('en');
    expect(languageOfText('Électronique')).toBe('en');
  });

  it('leaves numbers, punctuation and mixed text to the page', () => {
    expect(languageOfText('12 / 40')).toBeNull();
    expect(languageOfText('')).toBeNull();
    expect(languageOfText('TV 30대')).toBeNull();
  });
});
