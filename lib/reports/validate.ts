/**
 * Server-side validation of a report being submitted: the strict schema, then the time rules on
 * real UTC instants (time.ts). Pure (no database): the data layer calls it before its transaction
 * and still checks that the place, goods categories and agencies exist and are not retired.
 *
 * Not for the client bundle (it pulls in temporal-polyfill through time.ts).
 */
import type { TimeZoneName } from '@/db/enums';
import { TIME_CHOICES, type TimeChoice } from './local-date-time';
import { reportMessage, type ReportMessageKey } from './messages';
import { addReportError, type ReportErrors, type ReportFieldErrors } from './form-values';
import { buildSubmitSchema, collectReportErrors, type ReportSubmission } from './schema';
import { localDateTimeToInstant, type InstantOption } from './time';

/**
 * A report ready to store: {@link ReportSubmission} with `observedFrom` / `observedTo` as UTC
 * instants (ms since the epoch) instead of local strings, in `timeZone`, and the overlap choices
 * dropped (already applied). Rows are in the database's shape (see schema.ts).
 */
export type ValidatedReport = Omit<
  ReportSubmission,
  'observedFrom' | 'observedTo' | 'observedFromChoice' | 'observedToChoice' | 'timeZone'
> & {
  /** UTC instant in ms. */
  observedFrom: number;
  /** UTC instant in ms; ≥ observedFrom. */
  observedTo: number;
  timeZone: TimeZoneName;
};

/** Both instants of an ambiguous local time, per time field, for the form's "which one?" radio. */
export type ReportTimeOptions = Partial<Record<'observedFrom' | 'observedTo', Record<TimeChoice, InstantOption>>>;

export type ParseReportForSubmitResult =
  | { ok: true; data: ValidatedReport }
  | {
      ok: false;
      /** The first form-wide message, else 'report.errors.fixFields' (for the summary's heading). */
      message: ReportMessageKey;
      /** Every message per dotted field path, e.g. { 'observedFrom': ['report.errors.timeInGap'] }. */
      fieldErrors: ReportFieldErrors;
      /** Messages about the whole form (unknown or not-settable fields). */
      formErrors: ReportMessageKey[];
      /** Present for a time that happened twice and has no choice yet. */
      timeOptions: ReportTimeOptions;
    };

const submitSchemaOnInstants = buildSubmitSchema({ checkTimesOnLocalClock: false });

const TIME_FIELDS = [
  { field: 'observedFrom', choiceField: 'observedFromChoice' },
  { field: 'observedTo', choiceField: 'observedToChoice' },
] as const;

function readChoice(value: unknown): TimeChoice | null {
  return TIME_CHOICES.find((choice) => choice === value) ?? null;
}

/**
 * Validates a report for submitting, on the server.
 *
 * @param values the form's values (ReportFormValues from schema.ts, as posted by the client or
 *   read by `parseReportFormData`); anything else is refused, never thrown on.
 * @param now the current UTC instant in ms ("not in the future" is judged against it).
 * @returns `{ ok: true, data }` with UTC ms instants, or `{ ok: false, message, fieldErrors,
 *   formErrors, timeOptions }` with EVERY message, not only the first: the schema's (required
 *   fields, limits, enums, rows, unknown fields) and the time rules — 'report.errors.timeInGap'
 *   (the local time never existed in the zone), 'report.errors.timeAmbiguous' (it happened twice
 *   and no observed…Choice says which; `timeOptions` then carries both instants),
 *   'report.errors.timeInFuture' (instant > now), 'report.errors.toBeforeFrom' (on observedTo,
 *   when its instant is before observedFrom's). Time rules are checked on whichever time fields
 *   are readable even when other fields failed.
 */
export function parseReportForSubmit(values: unknown, now: number): ParseReportForSubmitResult {
  const parsed = submitSchemaOnInstants.safeParse(values);
  const errors: ReportErrors = parsed.success ? { fieldErrors: {}, formErrors: [] } : collectReportErrors(parsed.error.issues);

  const raw = typeof values === 'object' && values !== null ? (values as Record<string, unknown>) : {};
  const timeOptions: ReportTimeOptions = {};
  const instants: Partial<Record<'observedFrom' | 'observedTo', number>> = {};
  for (const { field, choiceField } of TIME_FIELDS) {
    const localDateTime = typeof raw[field] === 'string' ? raw[field].trim() : '';
    if (localDateTime === '' || typeof raw.timeZone !== 'string') continue;
    const result = localDateTimeToInstant({
      localDateTime,
      timeZone: raw.timeZone.trim(),
      choice: readChoice(raw[choiceField]),
    });
    if (result.ok) {
      instants[field] = result.instantMs;
      if (result.instantMs > now) addReportError(errors, field, reportMessage('timeInFuture'));
    } else if (result.reason === 'gap') {
      addReportError(errors, field, result.message);
    } else if (result.reason === 'overlap') {
      addReportError(errors, field, result.message);
      timeOptions[field] = result.options;
    }
    // 'invalid' and 'timeZone' are the schema's messages already.
  }
  if (instants.observedFrom !== undefined && instants.observedTo !== undefined && instants.observedTo < instants.observedFrom) {
    addReportError(errors, 'observedTo', reportMessage('toBeforeFrom'));
  }

  const hasErrors = errors.formErrors.length > 0 || Object.keys(errors.fieldErrors).length > 0;
  if (!parsed.success || hasErrors || instants.observedFrom === undefined || instants.observedTo === undefined) {
    return {
      ok: false,
      message: errors.formErrors[0] ?? reportMessage('fixFields'),
      fieldErrors: errors.fieldErrors,
      formErrors: errors.formErrors,
      timeOptions,
    };
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the choices are applied; drop them
  const { observedFromChoice, observedToChoice, ...report } = parsed.data;
  return {
    ok: true,
    data: { ...report, observedFrom: instants.observedFrom, observedTo: instants.observedTo },
  };
}
