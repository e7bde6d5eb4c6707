/**
 * Zod schemas of the editor's forms (decisions, bulk actions, corroboration links, notes) and the
 * moderation queue's URL filters. Pure: no database, so pages, Server Actions and tests share them.
 *
 * Every message is an i18n key of the `review` namespace (lib/i18n/messages/<locale>/review.json).
 * Ids and versions arrive as form text ('12') or numbers; both are accepted, anything else refused.
 */
import '@/lib/zod-setup';
import { z } from 'zod';
import {
  INFORMATION_CREDIBILITIES,
  LINK_KINDS,
  REPORT_STATUSES,
  SOURCE_RELIABILITIES,
  VEHICLE_TYPES,
  type ReportStatus,
  type VehicleType,
} from '@/db/enums';
import type { ReviewMessageKey } from '@/lib/lifecycle/workflow';

/** Longest editor text (reason, message, note, grade note), in characters after NFC; as messages. */
export const REVIEW_TEXT_MAX = 5000;

/** Rows per queue page. */
export const QUEUE_PAGE_SIZE = 25;

/** Most reports one bulk action may touch (a larger selection is refused: narrow the filter). */
export const BULK_MAX_REPORTS = 1000;

const key = (k: string): ReviewMessageKey => `review.${k}`;

/** A positive integer id or version: a number, or decimal text without sign (at most 15 digits). */
export function positiveInt(messageKey: ReviewMessageKey) {
  return z.unknown().transform((raw, ctx): number => {
    const value = typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
    ctx.addIssue({ code: 'custom', message: messageKey });
    return z.NEVER;
  }).prefault('');
}

/** Editor text: NFC, CRLF → LF, trimmed, ≤ REVIEW_TEXT_MAX; `required` refuses ''. */
function editorText({ required }: { required?: ReviewMessageKey } = {}) {
  return z.unknown().transform((raw, ctx): string => {
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      ctx.addIssue({ code: 'custom', message: key('errors.invalidInput') });
      return z.NEVER;
    }
    const text = (raw ?? '').normalize('NFC').replace(/\r\n?/g, '\n').trim();
    if (text.length > REVIEW_TEXT_MAX) {
      ctx.addIssue({ code: 'custom', message: key('errors.textTooLong') });
      return z.NEVER;
    }
    if (required && text === '') {
      ctx.addIssue({ code: 'custom', message: required });
      return z.NEVER;
    }
    return text;
  }).prefault('');
}

function enumField<T extends string>(values: readonly T[], messageKey: ReviewMessageKey) {
  return z.unknown().transform((raw, ctx): T => {
    const found = values.find((v) => v === (typeof raw === 'string' ? raw.trim() : raw));
    if (found !== undefined) return found;
    ctx.addIssue({ code: 'custom', message: messageKey });
    return z.NEVER;
  }).prefault('');
}

/** The review page's decisions (workflow actions an editor takes on one report). */
export const EDITOR_DECISIONS = ['claim', 'release', 'request_changes', 'verify', 'reject', 'reopen'] as const;
export type EditorDecision = (typeof EDITOR_DECISIONS)[number];

/**
 * One decision on one report, as posted by the review page's forms. `version` is the report's
 * version when the page was rendered (optimistic concurrency).
 * - request_changes: `message` to the partner, required (review.errors.messageRequired);
 * - verify: Admiralty grade — `sourceReliability` A–F and `informationCredibility` 1–6
 *   (review.errors.invalidGrade), `gradeNote` optional;
 * - reject: `reason` required (review.errors.reasonRequired), the editors' own — never shown to
 *   the partner; `partnerReason` optional, the reason the partner reads (issue 19 item 5);
 * - reopen: `note` optional.
 */
export const decisionSchema = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('claim') }),
    z.object({ action: z.literal('release') }),
    z.object({ action: z.literal('request_changes'), message: editorText({ required: key('errors.messageRequired') }) }),
    z.object({
      action: z.literal('verify'),
      sourceReliability: enumField(SOURCE_RELIABILITIES, key('errors.invalidGrade')),
      informationCredibility: enumField(INFORMATION_CREDIBILITIES, key('errors.invalidGrade')),
      gradeNote: editorText(),
    }),
    z.object({ action: z.literal('reject'), reason: editorText({ required: key('errors.reasonRequired') }), partnerReason: editorText() }),
    z.object({ action: z.literal('reopen'), note: editorText() }),
  ],
  { error: key('errors.unknownAction') },
);
export type DecisionInput = z.output<typeof decisionSchema>;

/**
 * Grading on its own (issue 19 item 6): an Admiralty grade — `sourceReliability` A–F and
 * `informationCredibility` 1–6 (review.errors.invalidGrade) — with an optional note, set without
 * verifying. Verifying still posts a grade of its own (decisionSchema `verify`).
 */
export const gradeSchema = z.object({
  sourceReliability: enumField(SOURCE_RELIABILITIES, key('errors.invalidGrade')),
  informationCredibility: enumField(INFORMATION_CREDIBILITIES, key('errors.invalidGrade')),
  gradeNote: editorText(),
});
export type GradeInput = z.output<typeof gradeSchema>;

/**
 * Statuses in which an editor may grade a report without a workflow step: the states an editor
 * holds (in review, verified, published — as for edits, lib/review/edits.ts). A submitted report is
 * claimed first; a report back with its partner, rejected or retracted is not graded.
 */
export const GRADEABLE_STATUSES: readonly ReportStatus[] = ['in_review', 'verified', 'published'];

/** report_events.action of a grade set on its own (a history entry, not a workflow step). */
export const GRADE_EVENT_ACTION = 'grade';

/** Whether a report in `status` may be graded on its own (see GRADEABLE_STATUSES). Pure. */
export function canGrade(status: ReportStatus): boolean {
  return GRADEABLE_STATUSES.includes(status);
}

/** The grade as the history and audit show it: 'B2', or 'B2 — note'. */
export function gradeText(grade: GradeInput): string {
  return `${grade.sourceReliability}${grade.informationCredibility}${grade.gradeNote ? ` — ${grade.gradeNote}` : ''}`;
}

/** The report a form acts on and the version its page showed. */
export const reportRefSchema = z.object({
  reportId: positiveInt(key('errors.notFound')),
  version: positiveInt(key('errors.staleVersion')),
});

/** Bulk actions offered in the moderation queue. */
export const BULK_ACTIONS = ['claim', 'release', 'reject'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/**
 * A bulk action and its reasons, as for one report (decisionSchema `reject`): `reason`, the
 * editors' own, required to reject (review.errors.reasonRequired); `partnerReason`, optional, the
 * reason each partner reads on their report (issue 19 item 5). Both ignored for claim and release.
 */
export const bulkActionSchema = z
  .object({
    action: enumField(BULK_ACTIONS, key('errors.unknownAction')),
    reason: editorText(),
    partnerReason: editorText(),
  })
  .superRefine((value, ctx) => {
    if (value.action === 'reject' && value.reason === '') {
      ctx.addIssue({ code: 'custom', message: key('errors.reasonRequired'), path: ['reason'] });
    }
  });

/**
 * One selected queue row as its checkbox posts it: 'id:version' (the version the queue showed, so
 * a report changed since is skipped as stale rather than acted on blindly).
 */
export const selectedRowSchema = z.string().transform((raw, ctx) => {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(raw.trim());
  const id = match ? Number(match[1]) : NaN;
  const version = match ? Number(match[2]) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0 || !Number.isSafeInteger(version) || version <= 0) {
    ctx.addIssue({ code: 'custom', message: key('errors.invalidSelection') });
    return z.NEVER;
  }
  return { id, version };
});

/** Corroboration link between the review page's report and another report. */
export const linkInputSchema = z.object({
  otherReportId: positiveInt(key('errors.otherReportRequired')),
  kind: enumField(LINK_KINDS, key('errors.invalidLinkKind')),
});
export type LinkInput = z.output<typeof linkInputSchema>;

// ---------------------------------------------------------------------------------------------
// Moderation queue filters (live in the URL)
// ---------------------------------------------------------------------------------------------

/** Statuses the queue shows (every report past draft). */
export const QUEUE_STATUSES = REPORT_STATUSES.filter((s): s is Exclude<ReportStatus, 'draft'> => s !== 'draft');
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/**
 * The queue's orders: newest submitted first (the default without a search), newest observed
 * first, oldest submitted first (first in, first out), and best match first (the default with a
 * search; without one it falls back to newest submitted).
 */
export const QUEUE_SORTS = ['submitted', 'observed', 'oldest', 'relevance'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export type SourceReliability = (typeof SOURCE_RELIABILITIES)[number];
export type InformationCredibility = (typeof INFORMATION_CREDIBILITIES)[number];

/** Longest search text, in characters (the URL parameter is cut at 200 before it is read). */
export const QUEUE_SEARCH_MAX = 200;

export const QUEUE_CLAIMS = ['me', 'unclaimed'] as const;
/**
 * "Assigned to …": me, nobody ('unclaimed'), or a named colleague as '@' + code name (issue 19;
 * a code name may itself be "me", so a colleague always carries the '@').
 */
export type QueueClaim = (typeof QUEUE_CLAIMS)[number] | `@${string}`;

/**
 * The thread filters (issue 19): 'awaiting-me' — held by me and the partner wrote last in the
 * thread (the answer is mine to give); 'partner' — the partner replied or resubmitted and the
 * editor who holds it has not opened it since (unread for them).
 */
export const QUEUE_REPLIES = ['awaiting-me', 'partner'] as const;
export type QueueReply = (typeof QUEUE_REPLIES)[number];

const CLAIM_CODE_NAME = /^@[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;

/**
 * The queue's filters. Dates are calendar days ('YYYY-MM-DD') in Asia/Pyongyang, the product's
 * default zone; a report matches when its observed window overlaps [from 00:00, to 24:00).
 * Empty = no filter on that part.
 */
export type QueueFilters = {
  status: QueueStatus | null;
  /** Gazetteer id; reports at this place or any place under it. */
  placeId: string | null;
  /** Partner code name, case-insensitive, exact. */
  partner: string | null;
  observedFromDate: string | null;
  observedToDate: string | null;
  claim: QueueClaim | null;
  reply: QueueReply | null;
  hasVehicles: boolean;
  hasGoods: boolean;
  /** Agency id named in the report's agency rows. */
  agencyId: string | null;
  /** Search text (NFC, trimmed, ≤ QUEUE_SEARCH_MAX); its words must all occur (lib/review/search.ts). */
  q: string | null;
  /** A vehicle type named in at least one of the report's vehicle rows. */
  vehicleType: VehicleType | null;
  /** A goods category id named in at least one of the report's goods rows. */
  goodsCategoryId: string | null;
  /** Admiralty grade parts the editor gave (ungraded reports never match). */
  sourceReliability: SourceReliability | null;
  informationCredibility: InformationCredibility | null;
  sort: QueueSort;
};

/** Keyset cursor: the last (or first) row's sort time (UTC ms) and id. */
export type QueueCursor = { time: number; id: number };

export const EMPTY_QUEUE_FILTERS: QueueFilters = {
  status: null,
  placeId: null,
  partner: null,
  observedFromDate: null,
  observedToDate: null,
  claim: null,
  reply: null,
  hasVehicles: false,
  hasGoods: false,
  agencyId: null,
  q: null,
  vehicleType: null,
  goodsCategoryId: null,
  sourceReliability: null,
  informationCredibility: null,
  sort: 'submitted',
};

/** The order used when the URL names none: best match with a search, newest submitted without. */
export function defaultQueueSort(filters: Pick<QueueFilters, 'q'>): QueueSort {
  return filters.q ? 'relevance' : 'submitted';
}

/** URL parameter names of the filters (also the GET form's field names). */
export const QUEUE_PARAM = {
  status: 'status',
  placeId: 'place',
  partner: 'partner',
  observedFromDate: 'from',
  observedToDate: 'to',
  claim: 'claimed',
  reply: 'reply',
  hasVehicles: 'vehicles',
  hasGoods: 'goods',
  agencyId: 'agency',
  q: 'q',
  vehicleType: 'vehicle',
  goodsCategoryId: 'category',
  sourceReliability: 'reliability',
  informationCredibility: 'credibility',
  sort: 'sort',
} as const satisfies Record<keyof QueueFilters, string>;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date 'YYYY-MM-DD' from 1900 on. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function param(params: Params, name: string): string {
  const raw = params instanceof URLSearchParams ? params.get(name) : params[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

export type ParsedQueueParams = {
  filters: QueueFilters;
  /** `after`: rows after this cursor (next page); `before`: rows before it (previous page). */
  cursor: { direction: 'after' | 'before'; at: QueueCursor } | null;
  /** Names of parameters that were present but not valid, and were ignored. */
  ignored: string[];
};

/** Parse 'time.id' (time a finite number of UTC ms, id a positive integer), else null. */
export function decodeCursor(raw: string): QueueCursor | null {
  // A time in ms, or a search's bm25 score (a small double, possibly written with an exponent).
  const m = /^(-?\d{1,17}(?:\.\d{1,20})?(?:e[+-]?\d{1,3})?)_(\d{1,15})$/.exec(raw);
  if (!m) return null;
  const time = Number(m[1]);
  const id = Number(m[2]);
  return Number.isFinite(time) && Number.isSafeInteger(id) && id > 0 ? { time, id } : null;
}

/** 'time_id' for the URL. `String(number)` round-trips every double exactly. */
export function encodeCursor(cursor: QueueCursor): string {
  return `${String(cursor.time)}_${cursor.id}`;
}

/**
 * The queue's URL parameters → filters and cursor. Never throws: a value that is not valid (an
 * unknown status, a malformed date or id) is ignored and named in `ignored`, so the page can say so.
 */
export function parseQueueParams(params: Params): ParsedQueueParams {
  const filters: QueueFilters = { ...EMPTY_QUEUE_FILTERS };
  const ignored: string[] = [];
  const take = <K extends keyof QueueFilters>(field: K, read: (v: string) => QueueFilters[K] | undefined) => {
    const raw = param(params, QUEUE_PARAM[field]);
    if (raw === '') return;
    const value = read(raw);
    if (value === undefined) ignored.push(QUEUE_PARAM[field]);
    else filters[field] = value;
  };
  take('status', (v) => QUEUE_STATUSES.find((s) => s === v));
  take('placeId', (v) => (SLUG.test(v) && v.length <= 64 ? v : undefined));
  take('partner', (v) => v);
  take('observedFromDate', (v) => (isCalendarDate(v) ? v : undefined));
  take('observedToDate', (v) => (isCalendarDate(v) ? v : undefined));
  take('claim', (v): QueueClaim | undefined => QUEUE_CLAIMS.find((c) => c === v) ?? (CLAIM_CODE_NAME.test(v) ? (v as `@${string}`) : undefined));
  take('reply', (v) => QUEUE_REPLIES.find((r) => r === v));
  take('hasVehicles', (v) => (v === '1' || v === 'on' ? true : undefined));
  take('hasGoods', (v) => (v === '1' || v === 'on' ? true : undefined));
  take('agencyId', (v) => (SLUG.test(v) && v.length <= 64 ? v : undefined));
  // Control characters (a NUL would end the FTS5 phrase early and fail the query) become spaces.
  take('q', (v) => v.normalize('NFC').replace(/\p{Cc}/gu, ' ').slice(0, QUEUE_SEARCH_MAX).trim() || undefined);
  take('vehicleType', (v) => VEHICLE_TYPES.find((t) => t === v));
  take('goodsCategoryId', (v) => (SLUG.test(v) && v.length <= 64 ? v : undefined));
  take('sourceReliability', (v) => SOURCE_RELIABILITIES.find((g) => g === v));
  take('informationCredibility', (v) => INFORMATION_CREDIBILITIES.find((g) => g === v));
  filters.sort = defaultQueueSort(filters);
  take('sort', (v) => QUEUE_SORTS.find((s) => s === v));
  // Best match needs something to match: without a search it is the default order.
  if (filters.sort === 'relevance' && !filters.q) filters.sort = 'submitted';

  let cursor: ParsedQueueParams['cursor'] = null;
  for (const direction of ['after', 'before'] as const) {
    const raw = param(params, direction);
    if (raw === '') continue;
    const at = decodeCursor(raw);
    if (at && !cursor) cursor = { direction, at };
    else ignored.push(direction);
  }
  return { filters, cursor, ignored };
}

/**
 * The filters as URL parameters (only the set ones), plus an optional cursor — for links between
 * pages, status tabs and the bulk confirmation page.
 */
export function queueSearchParams(
  filters: QueueFilters,
  cursor?: { direction: 'after' | 'before'; at: QueueCursor } | null,
): URLSearchParams {
  const out = new URLSearchParams();
  if (filters.status) out.set(QUEUE_PARAM.status, filters.status);
  if (filters.placeId) out.set(QUEUE_PARAM.placeId, filters.placeId);
  if (filters.partner) out.set(QUEUE_PARAM.partner, filters.partner);
  if (filters.observedFromDate) out.set(QUEUE_PARAM.observedFromDate, filters.observedFromDate);
  if (filters.observedToDate) out.set(QUEUE_PARAM.observedToDate, filters.observedToDate);
  if (filters.claim) out.set(QUEUE_PARAM.claim, filters.claim);
  if (filters.reply) out.set(QUEUE_PARAM.reply, filters.reply);
  if (filters.hasVehicles) out.set(QUEUE_PARAM.hasVehicles, '1');
  if (filters.hasGoods) out.set(QUEUE_PARAM.hasGoods, '1');
  if (filters.agencyId) out.set(QUEUE_PARAM.agencyId, filters.agencyId);
  if (filters.q) out.set(QUEUE_PARAM.q, filters.q);
  if (filters.vehicleType) out.set(QUEUE_PARAM.vehicleType, filters.vehicleType);
  if (filters.goodsCategoryId) out.set(QUEUE_PARAM.goodsCategoryId, filters.goodsCategoryId);
  if (filters.sourceReliability) out.set(QUEUE_PARAM.sourceReliability, filters.sourceReliability);
  if (filters.informationCredibility) out.set(QUEUE_PARAM.informationCredibility, filters.informationCredibility);
  if (filters.sort !== defaultQueueSort(filters)) out.set(QUEUE_PARAM.sort, filters.sort);
  if (cursor) out.set(cursor.direction, encodeCursor(cursor.at));
  return out;
}

/** `/editor` with the filters (and cursor) in the query string. */
export function queueHref(filters: QueueFilters, cursor?: { direction: 'after' | 'before'; at: QueueCursor } | null): string {
  const query = queueSearchParams(filters, cursor).toString();
  return query ? `/editor?${query}` : '/editor';
}

/** Form fields (FormData or a plain object) → an object of strings, without Next's `$ACTION_` keys. */
export function formFields(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of formData.entries()) {
    if (name.startsWith('$ACTION_') || typeof value !== 'string') continue;
    if (!Object.hasOwn(out, name)) Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Zod issues → field errors keyed by the first path segment ('' → form errors). */
export function collectReviewErrors(issues: readonly z.core.$ZodIssue[]): {
  messageKey: string;
  fieldErrors: Record<string, string[]>;
} {
  const fieldErrors: Record<string, string[]> = {};
  let first: string | null = null;
  for (const issue of issues) {
    const message = issue.message.startsWith('review.') ? issue.message : key('errors.invalidInput');
    first ??= message;
    const path = issue.path.length > 0 ? String(issue.path[0]) : 'form';
    const list = Object.hasOwn(fieldErrors, path) ? fieldErrors[path] : undefined;
    if (list) {
      if (!list.includes(message)) list.push(message);
    } else {
      Object.defineProperty(fieldErrors, path, { value: [message], enumerable: true, writable: true, configurable: true });
    }
  }
  return { messageKey: first ?? key('errors.invalidInput'), fieldErrors };
}

// ---------------------------------------------------------------------------------------------
// The queue a review page was opened from (issue 19 item 12: "next report")
// ---------------------------------------------------------------------------------------------

/** URL parameter of the review page: where the report stood in the queue's order ('time_id'). */
export const REVIEW_AT_PARAM = 'at';

/** Form field of the review page's forms that carries the queue (`queueContextParams` as text). */
export const QUEUE_CONTEXT_FIELD = 'queue';

/**
 * The queue a review page belongs to: its filters and order (the queue's own URL parameters,
 * read by parseQueueParams, so they are checked exactly as on the queue) and the report's place
 * in that order (a keyset cursor, decisions/0006-keyset-pagination.md), or null when unknown.
 */
export type QueueContext = { filters: QueueFilters; at: QueueCursor | null };

/** The queue context of a review page's URL parameters (or of a form's `queue` field). Never throws. */
export function parseQueueContext(params: Params): QueueContext {
  const { filters } = parseQueueParams(params);
  const raw = param(params, REVIEW_AT_PARAM);
  return { filters, at: raw === '' ? null : decodeCursor(raw) };
}

/** The queue context as URL parameters: the set filters, then `at`. */
export function queueContextParams(context: QueueContext): URLSearchParams {
  const out = queueSearchParams(context.filters);
  if (context.at) out.set(REVIEW_AT_PARAM, encodeCursor(context.at));
  return out;
}

/**
 * `/editor/reports/<id>` carrying the queue it was opened from (filters, order, the report's
 * place), plus `extra` parameters (e.g. `done`), so the page's "Next report" honours the filter.
 */
export function reviewHref(reportId: number, context: QueueContext, extra: Record<string, string> = {}): string {
  const query = queueContextParams(context);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const text = query.toString();
  return `/editor/reports/${reportId}${text ? `?${text}` : ''}`;
}
