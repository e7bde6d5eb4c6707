import { describe, expect, it } from 'vitest';
import { inSamePlaceTree, isPossibleDuplicate, windowsOverlap, type DuplicateCandidate } from './duplicates';

const HOUR = 3_600_000;
const T0 = Date.UTC(2018, 6, 12, 10, 30);

/** Report 1: partner 7 at the Hyesan bridge (in Hyesan, in Ryanggang), 10:30–19:30 UTC. */
const report: DuplicateCandidate = { id: 1, authorId: 7, placeId: 'kp-hyesan-bridge', placeAncestors: ['kp-hyesan', 'kp-ryanggang'], observedFrom: T0, observedTo: T0 + 9 * HOUR };
const candidate = (over: Partial<DuplicateCandidate>): DuplicateCandidate => ({ ...report, id: 2, ...over });

describe('possible duplicates: same partner, overlapping window, same place tree', () => {
  it('the same sighting filed twice is flagged; the report itself never is', () => {
    expect(isPossibleDuplicate(report, candidate({}))).toBe(true);
    expect(isPossibleDuplicate(report, report)).toBe(false);
  });

  it('another partner is not a duplicate (a corroboration, perhaps)', () => {
    expect(isPossibleDuplicate(report, candidate({ authorId: 8 }))).toBe(false);
  });

  it('windows overlap when they share an instant, ends included; an open end is the start instant', () => {
    expect(windowsOverlap(report, { observedFrom: T0 + 9 * HOUR, observedTo: null })).toBe(true);
    expect(windowsOverlap(report, { observedFrom: T0 + 9 * HOUR + 1, observedTo: T0 + 20 * HOUR })).toBe(false);
    expect(windowsOverlap(report, { observedFrom: T0 - 5 * HOUR, observedTo: T0 })).toBe(true);
    expect(windowsOverlap(report, { observedFrom: null, observedTo: null })).toBe(false);
    expect(isPossibleDuplicate(report, candidate({ observedFrom: T0 + 10 * HOUR, observedTo: T0 + 11 * HOUR }))).toBe(false);
  });

  it('one place tree: the same place, or one under the other — never siblings or no place', () => {
    expect(inSamePlaceTree(report, { placeId: 'kp-hyesan', placeAncestors: ['kp-ryanggang'] })).toBe(true);
    expect(inSamePlaceTree(report, { placeId: 'kp-ryanggang', placeAncestors: [] })).toBe(true);
    expect(inSamePlaceTree({ placeId: 'kp-hyesan', placeAncestors: ['kp-ryanggang'] }, report)).toBe(true);
    expect(inSamePlaceTree(report, { placeId: 'kp-hyesan-market', placeAncestors: ['kp-hyesan', 'kp-ryanggang'] })).toBe(false);
    expect(inSamePlaceTree(report, { placeId: null, placeAncestors: [] })).toBe(false);
    expect(isPossibleDuplicate(report, candidate({ placeId: 'kp-sinuiju', placeAncestors: ['kp-north-pyongan'] }))).toBe(false);
  });
});
