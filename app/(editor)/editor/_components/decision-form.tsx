'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { Options } from '@/app/_components/options';
import { INFORMATION_CREDIBILITIES, SOURCE_RELIABILITIES } from '@/lib/enums';
import type { EditorDecision } from '@/lib/review/schema';
import { decideAction, gradeAction } from '../reports/[id]/actions';
import { ConfirmBox } from '@/app/_components/form-parts';
import { FieldError, FormMessage } from './form-message';
import { INITIAL_FORM_STATE, type EditorFormState } from './form-state';
import { QueueField, reviewPermalink } from './queue-field';

/**
 * Decisions that end the editor's turn on a report (it leaves their hands), so a second button
 * decides and opens the next report of the same queue (issue 19 item 12).
 */
const DECIDE_AND_NEXT: ReadonlySet<EditorDecision> = new Set<EditorDecision>(['request_changes', 'verify', 'reject', 'release']);

/** The report's current grade, which the verify form starts from. */
export type CurrentGrade = { sourceReliability: string; informationCredibility: string; note: string | null } | null;

/**
 * One decision on the review page as a plain form posted to a Server Action (works without
 * JavaScript). Carries the report's version from when the page was rendered; a refusal keeps
 * what was typed (reason, message, grade) in the form and is shown beside the button (without
 * scripts the form's permalink brings the browser back to it). Verify starts from the report's
 * grade when it has one; reject asks for a confirming tick (lib/confirmation.ts).
 */
export function DecisionForm({
  reportId,
  version,
  queue,
  action,
  grade = null,
}: {
  reportId: number;
  version: number;
  /** The queue the page was opened from (QueueField); "… and next" goes on in it. */
  queue?: string;
  action: EditorDecision;
  grade?: CurrentGrade;
}) {
  const t = useTranslations('review');
  const idp = `decision-${action}`;
  const [state, formAction, isPending] = useActionState(decideAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, `${idp}-error`));
  const v = state.values;
  const err = state.fieldErrors ?? {};
  const describedBy = (field: string) => (err[field]?.length ? `${idp}-${field}-error` : undefined);
  return (
    <form action={formAction} className={`decision decision-${action}`} aria-labelledby={`${idp}-title`} noValidate>
      <h3 id={`${idp}-title`}>{t(`actions.${action}`)}</h3>
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <input type="hidden" name="action" value={action} />
      {action === 'request_changes' ? (
        <>
          <label htmlFor={`${idp}-message`}>{t('decision.message')}</label>
          <textarea
            id={`${idp}-message`}
            name="message"
            required
            maxLength={5000}
            defaultValue={v.message ?? ''}
            key={`m-${state.attempt}`}
            aria-invalid={err.message ? true : undefined}
            aria-describedby={describedBy('message')}
          />
          <FieldError id={`${idp}-message-error`} messages={err.message} />
        </>
      ) : null}
      {action === 'verify' ? <GradeFields idp={idp} state={state} grade={grade} isRequired /> : null}
      {action === 'reject' ? (
        <>
          <label htmlFor={`${idp}-reason`}>{t('decision.reason')}</label>
          <textarea
            id={`${idp}-reason`}
            name="reason"
            required
            maxLength={5000}
            defaultValue={v.reason ?? ''}
            key={`x-${state.attempt}`}
            aria-invalid={err.reason ? true : undefined}
            aria-describedby={describedBy('reason')}
          />
          <FieldError id={`${idp}-reason-error`} messages={err.reason} />
          <label htmlFor={`${idp}-partnerReason`}>{t('decision.partnerReason')}</label>
          <textarea
            id={`${idp}-partnerReason`}
            name="partnerReason"
            maxLength={5000}
            defaultValue={v.partnerReason ?? ''}
            key={`p-${state.attempt}`}
            aria-invalid={err.partnerReason ? true : undefined}
            aria-describedby={describedBy('partnerReason')}
          />
          <FieldError id={`${idp}-partnerReason-error`} messages={err.partnerReason} />
          <ConfirmBox id={`${idp}-confirm`} label={t('decision.confirmReject')} errors={err.confirm} key={`c-${state.attempt}`} />
        </>
      ) : null}
      {action === 'reopen' ? (
        <>
          <label htmlFor={`${idp}-note`}>{t('decision.note')}</label>
          <textarea id={`${idp}-note`} name="note" maxLength={5000} defaultValue={v.note ?? ''} key={`o-${state.attempt}`} />
        </>
      ) : null}
      <FormMessage state={state} id={`${idp}-error`} />
      <div className="row-actions">
        <button type="submit" className={action === 'reject' ? 'danger' : undefined} disabled={isPending}>
          {t(`actions.${action}`)}
        </button>
        {DECIDE_AND_NEXT.has(action) ? (
          <button type="submit" name="then" value="next" className={action === 'reject' ? 'danger' : 'secondary'} disabled={isPending}>
            {t('page.andNext', { action: t(`actions.${action}`) })}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/**
 * Grade a report without verifying it (issue 19 item 6): source reliability, information
 * credibility and a note, starting from the current grade. A plain form; works without scripts.
 */
export function GradeForm({ reportId, version, queue, grade }: { reportId: number; version: number; queue?: string; grade: CurrentGrade }) {
  const t = useTranslations('review');
  const idp = 'grade';
  const [state, formAction, isPending] = useActionState(gradeAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, `${idp}-error`));
  return (
    <form action={formAction} className="grade-form" aria-labelledby={`${idp}-form-title`} noValidate>
      <h3 id={`${idp}-form-title`}>{t('grading.title')}</h3>
      <p className="field-hint">{t('grading.hint')}</p>
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <GradeFields idp={idp} state={state} grade={grade} />
      <FormMessage state={state} id={`${idp}-error`} />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t('grading.submit')}
        </button>
      </div>
    </form>
  );
}

/**
 * The Admiralty grade's three fields (source reliability, information credibility, note), as the
 * verify and grade-only forms post them: starting from the values just posted, else the report's
 * grade; each with its refusals.
 */
function GradeFields({ idp, state, grade, isRequired = false }: { idp: string; state: EditorFormState; grade: CurrentGrade; isRequired?: boolean }) {
  const t = useTranslations('review');
  const v = state.values;
  const err = state.fieldErrors ?? {};
  const describedBy = (field: string) => (err[field]?.length ? `${idp}-${field}-error` : undefined);
  // The keys name the report's grade too: after another form on the page changed it (Verify), the
  // fields start from the new grade instead of keeping what they showed before.
  const gradeKey = `${state.attempt}-${grade?.sourceReliability ?? ''}${grade?.informationCredibility ?? ''}-${grade?.note ?? ''}`;
  return (
    <div className="grid-2">
      <div>
        <label htmlFor={`${idp}-reliability`}>{t('decision.reliability')}</label>
        <select
          id={`${idp}-reliability`}
          name="sourceReliability"
          required={isRequired}
          defaultValue={v.sourceReliability ?? grade?.sourceReliability ?? ''}
          key={`r-${gradeKey}`}
          aria-invalid={err.sourceReliability ? true : undefined}
          aria-describedby={describedBy('sourceReliability')}
        >
          <Options placeholder={t('decision.choose')} options={SOURCE_RELIABILITIES.map((g) => ({ value: g, label: t(`grades.${g}`) }))} />
        </select>
        <FieldError id={`${idp}-sourceReliability-error`} messages={err.sourceReliability} />
      </div>
      <div>
        <label htmlFor={`${idp}-credibility`}>{t('decision.credibility')}</label>
        <select
          id={`${idp}-credibility`}
          name="informationCredibility"
          required={isRequired}
          defaultValue={v.informationCredibility ?? grade?.informationCredibility ?? ''}
          key={`c-${gradeKey}`}
          aria-invalid={err.informationCredibility ? true : undefined}
          aria-describedby={describedBy('informationCredibility')}
        >
          <Options placeholder={t('decision.choose')} options={INFORMATION_CREDIBILITIES.map((g) => ({ value: g, label: t(`grades.${g}`) }))} />
        </select>
        <FieldError id={`${idp}-informationCredibility-error`} messages={err.informationCredibility} />
      </div>
      <div>
        <label htmlFor={`${idp}-note`}>{t('decision.gradeNote')}</label>
        <textarea id={`${idp}-note`} name="gradeNote" maxLength={5000} defaultValue={v.gradeNote ?? grade?.note ?? ''} key={`n-${gradeKey}`} />
        <FieldError id={`${idp}-gradeNote-error`} messages={err.gradeNote} />
      </div>
    </div>
  );
}
