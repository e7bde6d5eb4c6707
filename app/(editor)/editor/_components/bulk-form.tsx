'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ConfirmBox } from '@/app/_components/form-parts';
import { Options } from '@/app/_components/options';
import { BULK_ACTIONS } from '@/lib/review/schema';
import { bulkFilteredAction, bulkSelectedAction, type BulkFormState } from '../actions';
import { FieldError, FormMessage } from './form-message';
import { INITIAL_FORM_STATE } from './form-state';

function BulkResult({ state }: { state: BulkFormState }) {
  const t = useTranslations('review');
  if (!state.done) return null;
  const { action, applied, skipped } = state.done;
  return (
    <div className="notice ok" role="status">
      <p>{t('bulk.done', { action: t(`actions.${action}`), count: applied.length })}</p>
      {skipped.length > 0 ? (
        <>
          <p>{t('bulk.skipped', { count: skipped.length })}</p>
          <ul>
            {skipped.map((s) => (
              <li key={s.reportId}>
                <Link href={`/editor/reports/${s.reportId}`}>{t(`bulk.skipReason.${s.reason}`, { id: s.reportId })}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** The reason each partner reads on a rejected report (optional; as on the review page's reject). */
function PartnerReasonField({ state, id, label }: { state: BulkFormState; id: string; label: string }) {
  const err = state.fieldErrors?.partnerReason;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name="partnerReason"
        maxLength={5000}
        defaultValue={state.values.partnerReason ?? ''}
        key={`p-${state.attempt}`}
        aria-invalid={err ? true : undefined}
        aria-describedby={err ? `${id}-error` : undefined}
      />
      <FieldError id={`${id}-error`} messages={err} />
    </>
  );
}

function ActionFields({ state, idp }: { state: BulkFormState; idp: string }) {
  const t = useTranslations('review');
  const err = state.fieldErrors ?? {};
  return (
    <div className="grid-2">
      <div>
        <label htmlFor={`${idp}-action`}>{t('bulk.action')}</label>
        <select id={`${idp}-action`} name="action" defaultValue={state.values.action ?? ''} key={`a-${state.attempt}`}>
          <Options placeholder={t('bulk.chooseAction')} options={BULK_ACTIONS.map((a) => ({ value: a, label: t(`actions.${a}`) }))} />
        </select>
        <FieldError id={`${idp}-action-error`} messages={err.action} />
      </div>
      <div>
        <label htmlFor={`${idp}-reason`}>{t('bulk.reason')}</label>
        <textarea
          id={`${idp}-reason`}
          name="reason"
          maxLength={5000}
          defaultValue={state.values.reason ?? ''}
          key={`r-${state.attempt}`}
          aria-invalid={err.reason ? true : undefined}
          aria-describedby={err.reason ? `${idp}-reason-error` : undefined}
        />
        <FieldError id={`${idp}-reason-error`} messages={err.reason} />
      </div>
      <div>
        <PartnerReasonField state={state} id={`${idp}-partnerReason`} label={t('bulk.partnerReason')} />
      </div>
    </div>
  );
}

/**
 * The queue's bulk form for ticked rows. The rows' checkboxes live in the table and join this
 * form through their `form="bulk-form"` attribute (so it works without JavaScript).
 */
export function BulkSelectedForm() {
  const t = useTranslations('review');
  const [state, formAction, isPending] = useActionState<BulkFormState, FormData>(bulkSelectedAction, INITIAL_FORM_STATE);
  return (
    <form id="bulk-form" action={formAction} aria-labelledby="bulk-title" noValidate>
      <h2 id="bulk-title">{t('bulk.title')}</h2>
      <FormMessage state={state} id="bulk-error" />
      <BulkResult state={state} />
      <ActionFields state={state} idp="bulk" />
      <ConfirmBox id="bulk-confirm" label={t('bulk.confirmRejectSelected')} errors={state.fieldErrors?.confirm} />
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('bulk.applySelected')}
        </button>
      </div>
    </form>
  );
}

/**
 * The confirmation of a bulk action on every report a filter matches: the filters, and the
 * snapshot (`maxId`, `asOf`) that pins the set to what matched when this form was shown.
 */
export function BulkFilteredForm({
  hiddenFields,
  action,
  count,
}: {
  hiddenFields: Record<string, string>;
  action: string;
  count: number;
}) {
  const t = useTranslations('review');
  const [state, formAction, isPending] = useActionState<BulkFormState, FormData>(bulkFilteredAction, INITIAL_FORM_STATE);
  return (
    <form action={formAction} aria-labelledby="bulk-confirm-title" noValidate>
      <h2 id="bulk-confirm-title" className="visually-hidden">
        {t('bulk.confirmTitle')}
      </h2>
      <FormMessage state={state} id="bulk-confirm-error" />
      <BulkResult state={state} />
      {Object.entries(hiddenFields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="action" value={action} />
      {state.done ? null : (
        <>
          {action === 'reject' ? (
            <>
              <label htmlFor="bulk-confirm-reason">{t('decision.reason')}</label>
              <textarea
                id="bulk-confirm-reason"
                name="reason"
                maxLength={5000}
                defaultValue={state.values.reason ?? ''}
                key={`r-${state.attempt}`}
                aria-invalid={state.fieldErrors?.reason ? true : undefined}
                aria-describedby={state.fieldErrors?.reason ? 'bulk-confirm-reason-error' : undefined}
              />
              <FieldError id="bulk-confirm-reason-error" messages={state.fieldErrors?.reason} />
              <PartnerReasonField state={state} id="bulk-confirm-partnerReason" label={t('decision.partnerReason')} />
            </>
          ) : null}
          <div className="row-actions">
            <button type="submit" className={action === 'reject' ? 'danger' : undefined} disabled={isPending || count === 0}>
              {t('bulk.confirm')}: {t(`actions.${action}`)}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
