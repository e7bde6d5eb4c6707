import type { AdminActionState } from '../_components/action-state';

/**
 * State of the official-statistics forms: an admin action state, plus the problems of a refused
 * file (English sentences from lib/official/csv.ts; admin pages are English) and how many there
 * were in all.
 */
export type OfficialFormState = AdminActionState & { problems?: string[]; problemCount?: number };
