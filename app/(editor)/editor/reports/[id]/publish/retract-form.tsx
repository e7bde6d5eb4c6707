'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ConfirmBox } from '@/app/_components/form-parts';
import { PUBLICATION_LIMITS } from '@/lib/publishing/limits';
import { retractFormAction, type RetractFormState } from './actions';

/**
 * Retract a publication with a reason readers will see (the public URL keeps a notice with the
 * date and this reason). A plain HTML form posted to a Server Action; works without JavaScript.
 * A retraction is final, so the form asks for a confirming tick the action checks.
 */
export function RetractForm({ reportId, version }: { reportId: number; version: number }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<RetractFormState, FormData>(retractFormAction, {
    message: null,
    fieldErrors: {},
    reason: '',
  });
  const reasonErrors = state.fieldErrors.reason ?? [];
  return (
    <form action={formAction} key={state.reason} noValidate aria-labelledby="retract-heading">
      <h2 id="retract-heading">{t('publishing.retract.heading')}</h2>
      <p>{t('publishing.retract.hint')}</p>
      {state.message ? (
        <div className="error-summary" role="alert" id="retract-error">
          <p>{t(state.message)}</p>
          {reasonErrors.length ? (
            <ul>
              {reasonErrors.map((key) => (
                <li key={key}>
                  <a href="#retract-reason">{t(key)}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <label htmlFor="retract-reason">{t('publishing.retract.reason')}</label>
      <textarea
        id="retract-reason"
        name="reason"
        rows={3}
        defaultValue={state.reason}
        maxLength={PUBLICATION_LIMITS.retractionReasonMaxChars}
        aria-invalid={reasonErrors.length > 0 || undefined}
        aria-describedby={reasonErrors.length ? 'retract-reason-error' : undefined}
      />
      {reasonErrors.length ? (
        <p className="field-error" id="retract-reason-error">
          {reasonErrors.map((key) => t(key)).join(' ')}
        </p>
      ) : null}
      <ConfirmBox id="retract-confirm" label={t('publishing.retract.confirm')} errors={state.fieldErrors.confirm} />
      <div className="row-actions">
        <button type="submit" className="danger" disabled={isPending}>
          {t('publishing.retract.submit')}
        </button>
      </div>
    </form>
  );
}
