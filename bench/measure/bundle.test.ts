import { describe, expect, it } from 'vitest';
import { libraryHints } from './bundle';

describe('libraryHints', () => {
  it('names libraries by strings that survive minification', () => {
    expect(libraryHints('class a extends Error{name="ZodError"};const b={shouldUnregister:!1,criteriaMode:"all"}')).toEqual(['zod', 'react-hook-form']);
    expect(libraryHints('t("report.errors.titleTooLong")')).toEqual(['report form messages']);
  });

  it('names nothing in code without markers', () => {
    expect(libraryHints('function n(e){return e+1}')).toEqual([]);
  });
});
