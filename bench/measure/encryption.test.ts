import { describe, expect, it } from 'vitest';
import { compareRounds, roundOrder } from './encryption';

describe('encryption comparison', () => {
  it('alternates which server runs first, so neither always follows the other', () => {
    expect([0, 1, 2, 3].map(roundOrder)).toEqual([
      ['encrypted', 'plain'],
      ['plain', 'encrypted'],
      ['encrypted', 'plain'],
      ['plain', 'encrypted'],
    ]);
  });

  it('costs each round by time per request and holds the median of the rounds', () => {
    const throughput = compareRounds('/partner/reports/new', 'req/s', [200, 230, 240], [230, 230, 240]);
    expect(throughput.roundCostPercent).toEqual([15, 0, 0]);
    expect(throughput.costPercent).toBe(0);
    const latency = compareRounds('/stats', 'ms', [11, 12], [10, 10]);
    expect(latency.roundCostPercent).toEqual([10, 20]);
    expect(latency.costPercent).toBe(15);
  });

  it('leaves a round without an answer out of the median, and gives no cost when most rounds have none', () => {
    const some = compareRounds('/x', 'req/s', [26, 36, 30], [0, 39, 30]);
    expect(some.roundCostPercent[0]).toBeNaN();
    expect(some.costPercent).toBe(4.2);
    expect(compareRounds('/x', 'req/s', [26, 0, 30], [0, 39, 30]).costPercent).toBeNaN();
  });
});
