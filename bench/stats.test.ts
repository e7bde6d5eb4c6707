import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, slowerPercent } from './stats';

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

  it('states the encryption cost as time per request for latencies and throughputs alike', () => {
    expect(slowerPercent('ms', 11.5, 10)).toBe(15);
    expect(slowerPercent('ms', 9, 10)).toBe(-10);
    // 87 % of the plain throughput is 14.9 % more time per request.
    expect(slowerPercent('req/s', 87, 100)).toBe(14.9);
    expect(slowerPercent('req/s', 100, 100)).toBe(0);
    expect(slowerPercent('req/s', 0, 100)).toBeNaN();
    expect(slowerPercent('ms', Number.NaN, 10)).toBeNaN();
  });
});
