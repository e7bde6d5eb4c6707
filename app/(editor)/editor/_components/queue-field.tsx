import { QUEUE_CONTEXT_FIELD } from '@/lib/review/schema';

/**
 * The queue a review page was opened from, carried by each of its forms (issue 19 item 12), so the
 * page after the answer keeps its "Next report" under the same filter. `value` is the review
 * page's own queue parameters (lib/review/schema.ts queueContextParams); the action reads them
 * again as the queue reads its URL.
 */
export function QueueField({ value }: { value?: string }) {
  return value ? <input type="hidden" name={QUEUE_CONTEXT_FIELD} value={value} /> : null;
}

/** The review page's address for a form's no-script answer: the page with its queue, at `anchor`. */
export function reviewPermalink(reportId: number, queue: string | undefined, anchor: string): string {
  return `/editor/reports/${reportId}${queue ? `?${queue}` : ''}#${anchor}`;
}
