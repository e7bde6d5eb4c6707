import type { ReportFormValues } from '@/lib/reports/form-values';
import type { DiffLine } from '@/lib/review/diff';

/**
 * State of the editor pages' forms between a Server Action and its form (useActionState): the
 * refusal's message key and field errors, and what the editor typed, so a refused form (a stale
 * version included) shows everything again and nothing typed is lost.
 */
export type EditorFormState = {
  ok: boolean;
  /** Refusal code from the review data layer ('stale', 'invalid_input', …). */
  code?: string;
  /** i18n key of the message to show (e.g. 'review.errors.staleVersion'). */
  messageKey?: string;
  /** Field name → message keys. */
  fieldErrors?: Record<string, string[]>;
  /** The form's text fields as posted (never ids or versions). */
  values: Record<string, string>;
  /** Bumped on every answer so inputs re-mount with the returned values. */
  attempt: number;
};

/** The edit form's state: the values to show (as typed) and every message. */
export type EditReportFormState = {
  ok: boolean;
  code?: string;
  messageKey?: string;
  /** Dotted field path ('vehicles.0.count') → message keys. */
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
  values: ReportFormValues;
  attempt: number;
  /**
   * When another editor saved first (code 'stale'): the report's version now (the form posts it
   * next, so saving again applies the typed change over it knowingly) and the diff from the
   * report as it is now to what was typed.
   */
  conflict?: { version: number; lines: DiffLine[] };
};

/** The state a form starts with. */
export const INITIAL_FORM_STATE: EditorFormState = { ok: false, values: {}, attempt: 0 };
