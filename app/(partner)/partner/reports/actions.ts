'use server';

import { randomUUID } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getLocale } from 'next-intl/server';
import { toLocale } from '@/lib/i18n/config';
import { rememberLocaleChoice } from '@/lib/i18n/session-locale';
import { postMessage } from '@/lib/messages/thread';
import { placeTimeZone, searchPlaceOptions } from '@/lib/places/gazetteer';
import { deleteDraft, saveDraft } from '@/lib/reports/drafts';
import { applyRowIntent, parseReportFormData, rowErrorsAsPosted, withoutEmptyRows } from '@/lib/reports/form-data';
import { reportOutcome } from '@/lib/reports/outcomes';
import { submitReportGrouped } from '@/lib/reports/submit';
import { whatBecameOfReport } from '@/lib/reports/fate';
import { areaStateAction, areaValueAction } from '@/lib/http/area-action';
import { emptyReportValues, REPORT_ROW_SECTIONS, withPlaceTimeZone } from '@/lib/reports/form-values';
import {
  initialReportFormState,
  type AutosaveResult,
  type DeleteDraftState,
  type QueuedReportResult,
  type ReplyFormState,
  type ReportFateResult,
  type ReportFormState,
} from './_components/form-state';

/** The answer to a call our pages never make (lib/http/server-action.ts). */
const MALFORMED = reportOutcome('malformed');

/** The form's state for this post before any answer: the values and place query as posted, no messages. */
function postedState(previous: ReportFormState, parsed: ReturnType<typeof parseReportFormData>): ReportFormState {
  return {
    ...previous,
    seq: previous.seq + 1,
    values: parsed.values,
    placeQuery: parsed.placeQuery,
    status: 'idle',
    message: null,
    fieldErrors: {},
    formErrors: [],
    timeOptions: {},
    focus: null,
    filed: null,
  };
}

/**
 * The report form's Server Action (useActionState; works without scripts). Every post is treated
 * as a public POST: who is calling (a signed-in partner), may they (the data layer checks the
 * report is theirs and editable), is the input valid (parseReportFormData, then the schemas),
 * change, redirect. The pressed button's `intent` decides: 'add-…' / 'remove-…:N' change the rows
 * and render the form again (saving the draft on the way), 'search-place' narrows the place list,
 * 'save' saves the draft and redirects to its edit page (`?saved=1`, or `?saved=problems`: saved
 * with values that do not validate yet), 'photos' saves it and redirects to its photos page,
 * 'locale:<locale>' saves it, remembers the language as the partner's choice (as the header's
 * switch does, app/actions.ts) and redirects to the draft's edit page — now in that language, with
 * the text (issue 18: the header's switch posted nothing of the form, so without scripts it lost
 * the text), 'submit' submits
 * and redirects to the report page (a Submit for a report filed already whose text differs is
 * refused with `filed` set: the text stays in the form), 'new-from-text' saves the same text as
 * a new draft under a new client id. Every refusal
 * renders the form again with every value as typed and every message. Values that do not
 * validate yet are still saved as the draft as typed (saveDraft's `problems`; status
 * 'savedWithProblems'), a refused submit included, so the partner never loses what they typed.
 */
export const reportFormAction = areaStateAction<ReportFormState>(
  'partner',
  {
    refused: { ...initialReportFormState(emptyReportValues(''), null), status: 'refused', message: MALFORMED, formErrors: [MALFORMED] },
    // No partner session: the form comes back with everything typed (the browser keeps its copy too).
    signedOut: (previous, formData) => {
      const message = reportOutcome('sessionExpired');
      return { ...postedState(previous, parseReportFormData(formData)), status: 'refused', message, formErrors: [message] };
    },
  },
  async ({ actor, previous, formData }) => {
    const parsed = parseReportFormData(formData);
    const base = postedState(previous, parsed);
    if (!parsed.ok) {
      return { ...base, status: 'invalid', message: parsed.message, fieldErrors: parsed.fieldErrors, formErrors: parsed.formErrors };
    }

    const { intent } = parsed;
    switch (intent.kind) {
      case 'add-row':
      case 'remove-row': {
        const { values, error } = applyRowIntent(parsed.values, intent);
        const saved = saveDraft({ actor, values });
        const rows = values[intent.section];
        const firstField = REPORT_ROW_SECTIONS[intent.section].fields[0];
        const focus = intent.kind === 'add-row' && !error ? `${intent.section}.${rows.length - 1}.${firstField}` : `add-${intent.section}`;
        return {
          ...base,
          values,
          status: saved.ok ? (saved.problems ? 'savedWithProblems' : 'saved') : 'rows',
          message: error,
          fieldErrors: saved.ok && saved.problems ? saved.problems.fieldErrors : {},
          formErrors: error ? [error] : [],
          focus,
          savedAt: saved.ok ? saved.savedAt : previous.savedAt,
          reportId: saved.ok ? saved.reportId : previous.reportId,
        };
      }
      case 'search-place': {
        const query = parsed.placeQuery.trim();
        const locale = toLocale(await getLocale());
        const saved = saveDraft({ actor, values: parsed.values });
        return {
          ...base,
          status: saved.ok ? (saved.problems ? 'savedWithProblems' : 'saved') : 'searched',
          fieldErrors: saved.ok && saved.problems ? saved.problems.fieldErrors : {},
          placeMatches: query === '' ? null : searchPlaceOptions({ locale, query }).map((place) => place.id),
          focus: 'placeId',
          savedAt: saved.ok ? saved.savedAt : previous.savedAt,
          reportId: saved.ok ? saved.reportId : previous.reportId,
        };
      }
      case 'save': {
        const saved = saveDraft({ actor, values: parsed.values });
        // Only ever posted without scripts (scripts on, Save draft autosaves). Saved: a redirect to
        // the report's edit page (post/redirect/get), which says so; Back and reload then never
        // resend the post, and a report just created is no longer on the new-report page, where a
        // second save would make a second report. Add, Remove and Search answer in place (focus).
        if (saved.ok) redirect(`/partner/reports/${saved.reportId}/edit?saved=${saved.problems ? 'problems' : '1'}`);
        return {
          ...base,
          status: saved.code === 'invalid' ? 'invalid' : 'refused',
          message: saved.messageKey,
          fieldErrors: saved.fieldErrors,
          formErrors: saved.formErrors,
        };
      }
      case 'photos': {
        // Scripts off, photos are added on the report's photos page: save first, so a new report exists.
        const saved = saveDraft({ actor, values: parsed.values });
        if (saved.ok) redirect(`/partner/reports/${saved.reportId}/photos`);
        return { ...base, status: saved.code === 'invalid' ? 'invalid' : 'refused', message: saved.messageKey, fieldErrors: saved.fieldErrors, formErrors: saved.formErrors };
      }
      case 'locale': {
        // The text is saved first; a refused save keeps the page (and the text) in this language.
        const saved = saveDraft({ actor, values: parsed.values });
        if (saved.ok) {
          await rememberLocaleChoice({ accountId: actor.id, locale: intent.locale });
          redirect(`/partner/reports/${saved.reportId}/edit`);
        }
        return { ...base, status: saved.code === 'invalid' ? 'invalid' : 'refused', message: saved.messageKey, fieldErrors: saved.fieldErrors, formErrors: saved.formErrors };
      }
      case 'submit': {
        // Rows added but never filled in are not part of the report; messages go beside the rows
        // as numbered on the page; a time zone left to follow the place becomes the place's.
        // Group commit: answered after the transaction has committed.
        const { values: filled, positions } = withoutEmptyRows(parsed.values, parsed.emptyRows);
        const toSubmit = withPlaceTimeZone(filled, placeTimeZone({ placeId: filled.placeId }));
        const submitted = await submitReportGrouped({ actor, values: toSubmit });
        if (submitted.ok) {
          revalidatePath('/partner');
          redirect(`/partner/reports/${submitted.reportId}?submitted=1`);
        }
        if ('filed' in submitted) {
          // Filed already, and the text differs: nothing was sent; the form keeps the text and says
          // what became of the report (its own notice, so no summary of errors).
          return { ...base, status: 'refused', message: submitted.messageKey, filed: submitted.filed };
        }
        // A refused submit keeps what was typed: saved as the draft (with its problems), then the errors.
        const saved = submitted.code === 'invalid' ? saveDraft({ actor, values: parsed.values }) : null;
        return {
          ...base,
          status: saved?.ok ? 'savedWithProblems' : submitted.code === 'invalid' ? 'invalid' : 'refused',
          savedAt: saved?.ok ? saved.savedAt : previous.savedAt,
          reportId: saved?.ok ? saved.reportId : previous.reportId,
          message: submitted.messageKey,
          fieldErrors: rowErrorsAsPosted(submitted.fieldErrors, positions),
          formErrors: submitted.formErrors,
          timeOptions: submitted.timeOptions,
        };
      }
      case 'new-from-text': {
        // The text of a report filed already, as a new draft: a new client id, so it can never be
        // taken for the filed report again.
        // Only ever posted without scripts (with scripts the form starts it in place). Saved: a
        // redirect to the new draft's edit page (post/redirect/get), so a reload or Back never
        // saves the text as yet another draft. Refused: the text stays, under its new client id.
        const values = { ...parsed.values, clientId: randomUUID() };
        const saved = saveDraft({ actor, values });
        if (saved.ok) redirect(`/partner/reports/${saved.reportId}/edit?saved=new`);
        return {
          ...base,
          values,
          status: saved.code === 'invalid' ? 'invalid' : 'refused',
          message: saved.messageKey,
          fieldErrors: saved.fieldErrors,
          formErrors: saved.formErrors,
        };
      }
    }
  },
);

/**
 * What became of the partner's report with the form's client id (scripts on: after the answer to
 * a Submit was lost, or a save was refused because the report was filed meanwhile). The value is
 * the form's values; lib/reports/fate.ts reads the client id from them, checks the report is this
 * partner's (another partner's is answered as unknown) and compares the text with what was filed.
 */
export const reportFateAction = areaValueAction<ReportFateResult>(
  'partner',
  {
    refused: { ok: false, code: 'refused' } satisfies ReportFateResult as ReportFateResult,
    signedOut: { ok: false, code: 'sessionExpired' } satisfies ReportFateResult as ReportFateResult,
  },
  async ({ actor, value }) => {
    const clientId = typeof value === 'object' && value !== null && 'clientId' in value ? value.clientId : null;
    return { ok: true, ...whatBecameOfReport({ actor, clientId, values: value }) };
  },
);

/**
 * Autosave (scripts on): the form's values as an object, saved as the draft. Same checks as
 * 'save' above (values that do not validate yet are saved as typed, answered with their
 * `fieldErrors`); a missing or ended session answers 'sessionExpired' so the browser keeps its copy,
 * a call from a page of another account 'otherAccount' (nothing saved under the caller either).
 */
export const autosaveReportDraft = areaValueAction<AutosaveResult>(
  'partner',
  {
    refused: { ok: false, code: 'invalid', messageKey: MALFORMED, fieldErrors: {}, formErrors: [MALFORMED] },
    // A page of another account (lib/auth/tab-owner.ts) is told so: the form shows its "signed
    // out, your text is kept" state; the outbox waits for the account that wrote the report.
    signedOut: (_value, reason) => {
      const code = reason === 'otherAccount' ? 'otherAccount' : 'sessionExpired';
      const message = reportOutcome(code);
      return { ok: false, code, messageKey: message, fieldErrors: {}, formErrors: [message] };
    },
  },
  async ({ actor, value: values }) => {
    const saved = saveDraft({ actor, values });
    if (saved.ok) {
      return { ok: true, reportId: saved.reportId, version: saved.version, savedAt: saved.savedAt, created: saved.created, fieldErrors: saved.problems?.fieldErrors ?? null };
    }
    return { ok: false, code: saved.code, messageKey: saved.messageKey, fieldErrors: saved.fieldErrors, formErrors: saved.formErrors };
  },
);

/**
 * Sends one report from the device's outbox (scripts on: app/(partner)/partner/_device/
 * outbox-runner.ts, once the connection is back). The value is the report's values as the form's
 * Submit sends them (rows never filled in left out, the time zone made explicit in the browser);
 * the same checks and the same idempotent submit as the form's 'submit' (lib/reports/submit.ts:
 * by client id, so a resend after a lost answer answers the same report and writes nothing). A
 * refusal for invalid values keeps them as the server's draft (like the form's Submit), so the
 * partner can open and correct them; signed out answers 'sessionExpired' (the outbox waits), a
 * call from a page of another account 'otherAccount' (it waits for its own account).
 */
export const sendQueuedReport = areaValueAction<QueuedReportResult>(
  'partner',
  {
    refused: { ok: false, code: 'refused', messageKey: MALFORMED, reportId: null, filed: null },
    // A page of another account (lib/auth/tab-owner.ts) is told so: the outbox keeps the report for
    // the account that wrote it and says whom it waits for.
    signedOut: (_value, reason) =>
      reason === 'otherAccount'
        ? { ok: false, code: 'otherAccount', messageKey: reportOutcome('otherAccount'), reportId: null, filed: null }
        : { ok: false, code: 'sessionExpired', messageKey: reportOutcome('sessionExpired'), reportId: null, filed: null },
  },
  async ({ actor, value }) => {
    const submitted = await submitReportGrouped({ actor, values: value });
    // No revalidatePath: it would make Next render the calling page again with the answer, and a
    // form page of a report now filed redirects (the list refreshes itself: _device/outbox-list.tsx).
    if (submitted.ok) return { ok: true, reportId: submitted.reportId, submittedAt: submitted.submittedAt };
    if ('filed' in submitted) {
      return { ok: false, code: submitted.code, messageKey: submitted.messageKey, reportId: submitted.filed.reportId, filed: submitted.filed };
    }
    const saved = submitted.code === 'invalid' ? saveDraft({ actor, values: value }) : null;
    return { ok: false, code: submitted.code, messageKey: submitted.messageKey, reportId: saved?.ok ? saved.reportId : null, filed: null };
  },
);

/**
 * The partner's reply on their report's message thread (works without scripts). The report id
 * comes from the form and is checked by lib/messages/thread.ts postMessage: another partner's
 * report is "not found" and nothing is written.
 */
export const postReportReply = areaStateAction<ReplyFormState>(
  'partner',
  {
    refused: { seq: 0, ok: false, messageKey: 'messages.errors.invalid', fieldErrors: {}, body: '' },
    signedOut: (previous, formData) => ({ seq: previous.seq + 1, ok: false, messageKey: 'report.outcome.sessionExpired', fieldErrors: {}, body: typedBody(formData) }),
  },
  async ({ actor, previous, formData }) => {
    const body = formData.get('body');
    const typed = typedBody(formData);
    const reportId = formData.get('reportId');
    const result = postMessage({ actor, reportId: typeof reportId === 'string' ? reportId : null, input: { body: typeof body === 'string' ? body : null } });
    if (!result.ok) {
      return { seq: previous.seq + 1, ok: false, messageKey: result.messageKey, fieldErrors: result.fieldErrors ?? {}, body: typed };
    }
    revalidatePath(`/partner/reports/${String(reportId)}`);
    return { seq: previous.seq + 1, ok: true, messageKey: 'messages.sent', fieldErrors: {}, body: '' };
  },
);

/** The reply as typed ('' when the field is missing or not text). */
function typedBody(formData: FormData): string {
  const body = formData.get('body');
  return typeof body === 'string' ? body : '';
}

/**
 * Delete one's own draft (works without scripts): the box "Yes, delete this draft" must be ticked;
 * lib/reports/drafts.ts deleteDraft checks the rest (own report, still a draft). Success goes to
 * My reports with a notice; a refusal stays on the page with its message and deletes nothing.
 */
export const deleteDraftAction = areaStateAction<DeleteDraftState>(
  'partner',
  {
    refused: { seq: 0, ok: false, messageKey: MALFORMED },
    signedOut: (previous) => ({ seq: previous.seq + 1, ok: false, messageKey: 'report.outcome.sessionExpired' }),
  },
  async ({ actor, previous, formData }) => {
    if (formData.get('confirm') !== 'yes') return { seq: previous.seq + 1, ok: false, messageKey: 'report.deleteDraft.confirmRequired' };
    const result = await deleteDraft({ actor, reportId: formData.get('reportId') });
    if (!result.ok) return { seq: previous.seq + 1, ok: false, messageKey: result.messageKey };
    revalidatePath('/partner');
    redirect('/partner?deleted=1');
  },
);
