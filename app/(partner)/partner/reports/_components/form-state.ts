/**
 * The report form's state between the browser and its Server Action (useActionState). Pure: the
 * form (client) and the action (server) both import it.
 */
import type { FiledReport, ReportFate, ReportOutcomeKey, ReportRefusalCode, ReportTimeChoices } from '@/lib/reports/outcomes';
import type { ReportMessageKey } from '@/lib/reports/messages';
import type { ReportFieldErrors, ReportFormValues } from '@/lib/reports/form-values';

/** What the last answer of the server was about (drives the status line and the summary). */
export type ReportFormStatus = 'idle' | 'saved' | 'savedWithProblems' | 'invalid' | 'refused' | 'rows' | 'searched' | 'newFromText';

export type ReportFormState = {
  /** Bumped by every answer, so the form can tell a new answer from a re-render. */
  seq: number;
  /** Every value as typed (after a refusal too), rendered back into the form without scripts. */
  values: ReportFormValues;
  status: ReportFormStatus;
  /** Heading of the error summary, or the refusal (i18n key); null when all is well. */
  message: ReportMessageKey | ReportOutcomeKey | null;
  fieldErrors: ReportFieldErrors;
  formErrors: (ReportMessageKey | ReportOutcomeKey)[];
  /** Both instants of a local time that happened twice: the form then offers "earlier / later". */
  timeOptions: ReportTimeChoices;
  /** The no-script gazetteer search: its text, and the ids it matched (null = no search). */
  placeQuery: string;
  placeMatches: string[] | null;
  /** Form path of the field to focus after a round trip (a new row's first field), else null. */
  focus: string | null;
  /** UTC ms of the last server save, and the report it created or updated. */
  savedAt: number | null;
  reportId: number | null;
  /**
   * Set when a Submit was refused because this report was filed already and the text differs from
   * what was filed (lib/reports/submit.ts): what became of it; the text is kept, nothing was sent.
   */
  filed: FiledReport | null;
};

/** The state a form starts in: the given values, nothing said yet. */
export function initialReportFormState(values: ReportFormValues, reportId: number | null): ReportFormState {
  return {
    seq: 0,
    values,
    status: 'idle',
    message: null,
    fieldErrors: {},
    formErrors: [],
    timeOptions: {},
    placeQuery: '',
    placeMatches: null,
    focus: null,
    savedAt: null,
    reportId,
    filed: null,
  };
}

/** The answer to an autosave (a direct Server Action call with the form's values). */
export type AutosaveResult =
  | {
      ok: true;
      reportId: number;
      version: number;
      savedAt: number;
      created: boolean;
      /** Null when every field validated; else the values were saved as typed and these need attention. */
      fieldErrors: ReportFieldErrors | null;
    }
  | {
      ok: false;
      code: ReportRefusalCode | 'sessionExpired' | 'otherAccount';
      messageKey: ReportMessageKey | ReportOutcomeKey;
      fieldErrors: ReportFieldErrors;
      formErrors: (ReportMessageKey | ReportOutcomeKey)[];
    };

/**
 * The answer to "what became of my report?" (reportFateAction): lib/reports/fate.ts ReportFate,
 * or `ok: false` when the caller is signed out (ask again after signing in) or the call was refused.
 */
export type ReportFateResult = ({ ok: true } & ReportFate) | { ok: false; code: 'sessionExpired' | 'refused' };

/**
 * The answer to sending a report from the device's outbox (sendQueuedReport): submitted (the
 * first submission's report and time, a resend after a lost answer included), or refused — signed
 * out ('sessionExpired': sent again after sign-in), sent from a page of another account than the
 * one signed in ('otherAccount': sent once that account signs in again), a call our pages never make ('refused'), or
 * the submit's refusal with its message; `reportId` is the report the text is now kept in on the
 * server (a draft saved from refused values, or the report filed already), `filed` what became of
 * a report filed already with other text.
 */
export type QueuedReportResult =
  | { ok: true; reportId: number; submittedAt: number }
  | {
      ok: false;
      code: ReportRefusalCode | 'sessionExpired' | 'otherAccount' | 'refused';
      messageKey: ReportMessageKey | ReportOutcomeKey;
      reportId: number | null;
      filed: FiledReport | null;
    };

/** State of the partner's reply form on the report page. */
export type ReplyFormState = {
  seq: number;
  ok: boolean;
  /** i18n key: 'messages.sent' or an error. */
  messageKey: string | null;
  fieldErrors: Record<string, string[]>;
  /** What was typed, kept after a refusal. */
  body: string;
};

/** State of the "delete this draft" form: the refusal to show (an i18n key), if any. */
export type DeleteDraftState = { seq: number; ok: boolean; messageKey?: string };
