/**
 * Outcomes of saving and submitting a report that are not about one field: i18n keys under
 * "outcome" in lib/i18n/messages/<locale>/report.json. Pure (type imports only), so the form can use it.
 */
import type { ReportStatus } from '@/lib/enums';
import type { ReportFieldErrors } from './form-values';
import type { ReportMessageKey } from './messages';
import type { Refusal } from '@/lib/refusal';

export const REPORT_OUTCOME_NAMES = [
  /** The report does not exist for this partner (or belongs to someone else): answer 404. */
  'notFound',
  /** The report is past draft / changes requested: the partner may no longer change it. */
  'notEditable',
  /** A Submit with other content for a report already filed: the changes were not sent (see FiledReport). */
  'alreadyFiled',
  /** The caller is not a reporting partner. */
  'forbidden',
  /** No valid session: the form keeps a local copy until the partner signs in again. */
  'sessionExpired',
  /**
   * The call came from a page of another account than the one signed in on this browser (a shared
   * phone): nothing was saved; it waits on the device for its own account (lib/auth/tab-owner.ts).
   */
  'otherAccount',
  /** The body could not be read at all (not a form, not an object). */
  'malformed',
] as const;
export type ReportOutcomeName = (typeof REPORT_OUTCOME_NAMES)[number];
export type ReportOutcomeKey = `report.outcome.${ReportOutcomeName}`;

/** The i18n key of an outcome: `reportOutcome('notFound')` → 'report.outcome.notFound'. */
export function reportOutcome(name: ReportOutcomeName): ReportOutcomeKey {
  return `report.outcome.${name}`;
}

/** Why a save or submit was refused (for the caller's HTTP answer and the form's state). */
export type ReportRefusalCode = 'invalid' | 'notFound' | 'notEditable' | 'forbidden';

/** Both instants of a local time that happened twice, per time field (from validate.ts / time.ts). */
export type ReportTimeChoices = Partial<
  Record<'observedFrom' | 'observedTo', Record<'earlier' | 'later', { instantMs: number; offsetLabel: string }>>
>;

/**
 * The refusal every report write returns (docs/style.md habit 4): lib/refusal.ts `Refusal` — its
 * `code` and `messageKey`, the summary's heading (a form-wide message or 'report.errors.fixFields')
 * — with every message kept: `fieldErrors` always present, `formErrors` (the form-wide messages),
 * and `timeOptions` (filled when a local time happened twice and the partner must choose which).
 */
export type ReportWriteRefusal = Refusal<ReportRefusalCode, ReportMessageKey | ReportOutcomeKey> & {
  fieldErrors: ReportFieldErrors;
  formErrors: (ReportMessageKey | ReportOutcomeKey)[];
  timeOptions: ReportTimeChoices;
};

/** A refusal that is not about fields (not found, not editable, forbidden, malformed). */
export function reportRefusal(code: Exclude<ReportRefusalCode, 'invalid'>, name: ReportOutcomeName = code): ReportWriteRefusal {
  const messageKey = reportOutcome(name);
  return { ok: false, code, messageKey, fieldErrors: {}, formErrors: [messageKey], timeOptions: {} };
}

/**
 * A report the partner has filed already, as the partner may know it: its id, its status, when it
 * reached that status and when it was (last) submitted (UTC ms; null if never).
 */
export type FiledReport = { reportId: number; status: ReportStatus; at: number; submittedAt: number | null };

/**
 * A Submit for a report already filed whose content differs from what was filed: nothing was
 * written, and `filed` says what became of the report (lib/reports/submit.ts).
 */
export type AlreadyFiledRefusal = ReportWriteRefusal & { code: 'notEditable'; filed: FiledReport };

/** What became of a partner's report, by its client id (lib/reports/fate.ts whatBecameOfReport). */
export type ReportFate =
  | { found: false }
  | { found: true; isEditable: true; reportId: number; status: ReportStatus }
  | { found: true; isEditable: false; filed: FiledReport; matchesFiled: boolean };
