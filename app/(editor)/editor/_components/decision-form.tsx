'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { Options } from '@/app/_components/options';
import { INFORMATION_CREDIBILITIES, SOURCE_RELIABILITIES } from '@/lib/enums';
import type { EditorDecision } from '@/lib/review/schema';
import { decideAction } from '../reports/[id]/actions';
import { FieldError, FormMessage } from './form-message';
import { INITIAL_FORM_STATE } from './form-state';

/**
 * One decision on the review page as a plain form posted to a Server Action (works without
 * JavaScript). Carries the report's version from when the page was rendered; a refusal keeps
 * what was typed (reason, message, grade) in the form.
 */
export function DecisionForm({ reportId, version, action }: { reportId: number; version: number; action: EditorDecision }) {
  const t = useTranslations('review');
  const [state, formAction, isPending] = useActionState(decideAction, INITIAL_FORM_STATE);
  const v = state.values;
  const err = state.fieldErrors ?? {};
  const idp = `decision-${action}`;
  const describedBy = (field: string) => (err[field]?.length ? `${idp}-${field}-error` : undefined);
  return (
    <form action={formAction} className={`decision decision-${action}`} aria-labelledby={`${idp}-title`} noValidate>
      <h3 id={`${idp}-title`}>{t(`actions.${action}`)}</h3>
      <FormMessage state={state} id={`${idp}-error`} reloadHref={`/editor/reports/${reportId}`} />
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
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
      {action === 'verify' ? (
        <div className="grid-2">
          <div>
            <label htmlFor={`${idp}-reliability`}>{t('decision.reliability')}</label>
            <select
              id={`${idp}-reliability`}
              name="sourceReliability"
              required
              defaultValue={v.sourceReliability ?? ''}
              key={`r-${state.attempt}`}
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
              required
              defaultValue={v.informationCredibility ?? ''}
              key={`c-${state.attempt}`}
              aria-invalid={err.informationCredibility ? true : undefined}
              aria-describedby={describedBy('informationCredibility')}
            >
              <Options placeholder={t('decision.choose')} options={INFORMATION_CREDIBILITIES.map((g) => ({ value: g, label: t(`grades.${g}`) }))} />
            </select>
            <FieldError id={`${idp}-informationCredibility-error`} messages={err.informationCredibility} />
          </div>
          <div>
            <label htmlFor={`${idp}-note`}>{t('decision.gradeNote')}</label>
            <textarea id={`${idp}-note`} name="gradeNote" maxLength={5000} defaultValue={v.gradeNote ?? ''} key={`n-${state.attempt}`} />
            <FieldError id={`${idp}-gradeNote-error`} messages={err.gradeNote} />
          </div>
        </div>
      ) : null}
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
        </>
      ) : null}
      {action === 'reopen' ? (
        <>
          <label htmlFor={`${idp}-note`}>{t('decision.note')}</label>
          <textarea id={`${idp}-note`} name="note" maxLength={5000} defaultValue={v.note ?? ''} key={`o-${state.attempt}`} />
        </>
      ) : null}
      <div className="row-actions">
        <button type="submit" className={action === 'reject' ? 'danger' : undefined} disabled={isPending}>
          {t(`actions.${action}`)}
        </button>
      </div>
    </form>
  );
}
