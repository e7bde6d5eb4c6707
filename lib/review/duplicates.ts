/**
 * Possible duplicates of a report (issue 19 item 9): the same partner filing the same sighting
 * twice — a resend from a flaky connection, a second device, a report begun again. Pure: the
 * review page's data layer (lib/review/review-page.ts) loads the candidates and their places'
 * ancestor chains; this module decides.
 *
 * A report B is a possible duplicate of A when all hold:
 * - the same partner wrote both (`authorId`);
 * - their observed windows overlap: [from, to ?? from] of each, ends included (UTC ms) — no
 *   widening, unlike the ±3-day nearby list;
 * - their places are in one place tree: the same gazetteer entry, or one lies under the other
 *   (a partner may name the city once and the crossing in it the next time). Two places that are
 *   merely siblings are not the same tree.
 * A report without a place or a start time is never flagged: there is nothing to compare.
 */

/** What the rule reads of a report. `placeAncestors`: the place's parents, nearest first. */
export type DuplicateCandidate = {
  id: number;
  authorId: number;
  placeId: string | null;
  placeAncestors: readonly string[];
  /** UTC ms. */
  observedFrom: number | null;
  /** UTC ms; null means the window is the instant `observedFrom`. */
  observedTo: number | null;
};

/** Whether two observed windows overlap (ends included); false when either has no start. */
export function windowsOverlap(a: Pick<DuplicateCandidate, 'observedFrom' | 'observedTo'>, b: Pick<DuplicateCandidate, 'observedFrom' | 'observedTo'>): boolean {
  if (a.observedFrom === null || b.observedFrom === null) return false;
  const aEnd = a.observedTo ?? a.observedFrom;
  const bEnd = b.observedTo ?? b.observedFrom;
  return a.observedFrom <= bEnd && b.observedFrom <= aEnd;
}

/** Whether two places are one place tree: the same, or one an ancestor of the other. */
export function inSamePlaceTree(a: Pick<DuplicateCandidate, 'placeId' | 'placeAncestors'>, b: Pick<DuplicateCandidate, 'placeId' | 'placeAncestors'>): boolean {
  if (a.placeId === null || b.placeId === null) return false;
  return a.placeId === b.placeId || a.placeAncestors.includes(b.placeId) || b.placeAncestors.includes(a.placeId);
}

/** Whether `candidate` is a possible duplicate of `report` (the rule above; never itself). */
export function isPossibleDuplicate(report: DuplicateCandidate, candidate: DuplicateCandidate): boolean {
  return candidate.id !== report.id && candidate.authorId === report.authorId && windowsOverlap(report, candidate) && inSamePlaceTree(report, candidate);
}
