import { describe, expect, it } from 'vitest';
import { median, percentile, ratio } from './stats';

describe('statistics', () => {
  it('takes percentiles by nearest rank, whatever the input order', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('gives ratios to three decimals and never divides by zero silently', () => {
    expect(ratio(2, 3)).toBe(0.667);
    expect(ratio(0, 0)).toBe(1);
    expect(ratio(1, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});
