import { describe, expect, it } from 'vitest';
import { deskDecision } from './desk';

describe('desk trial decisions', () => {
  it('mixes 70 % verify, 15 % reject and 15 % request changes over every 20 reports', () => {
    const counts = { verify: 0, reject: 0, request_changes: 0 };
    for (let i = 0; i < 200; i += 1) counts[deskDecision(i)] += 1;
    expect(counts).toEqual({ verify: 140, reject: 30, request_changes: 30 });
  });
});
