'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { assignAction } from '../reports/[id]/actions';
import { FieldError, FormMessage } from './form-message';
import { INITIAL_FORM_STATE } from './form-state';
import { QueueField, reviewPermalink } from './queue-field';

/**
 * Assign the report to a colleague, to oneself, or to nobody (issue 19 item 3): a plain form
 * posted to a Server Action, so it works without JavaScript. Only active editors and admins are
 * offered (the server checks again); the current holder is preselected — also after another
 * form on the page changed it (a claim): the select's key names the holder, so React renders it
 * afresh instead of keeping the choice it showed before.
 */
export function AssignForm({
  reportId,
  version,
  queue,
  me,
  colleagues,
  holderId,
}: {
  reportId: number;
  version: number;
  /** The queue the page was opened from (QueueField). */
  queue?: string;
  me: { id: number; codeName: string };
  colleagues: { id: number; codeName: string }[];
  holderId: number | null;
}) {
  const t = useTranslations('review');
  const [state, formAction, isPending] = useActionState(assignAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, 'assign-error'));
  const err = state.fieldErrors?.assignee;
  const current = holderId === null ? 'nobody' : holderId === me.id ? 'me' : String(holderId);
  return (
    <form action={formAction} aria-labelledby="assign-title" noValidate>
      <h3 id="assign-title">{t('page.assignTitle')}</h3>
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <label htmlFor="assign-assignee">{t('page.assignee')}</label>
      <select
        id="assign-assignee"
        name="assignee"
        defaultValue={state.values.assignee ?? current}
        key={`a-${state.attempt}-${current}`}
        aria-invalid={err ? true : undefined}
        aria-describedby={err ? 'assign-assignee-error' : undefined}
      >
        <option value="me">{t('page.assignMe', { codeName: me.codeName })}</option>
        {colleagues
          .filter((c) => c.id !== me.id)
          .map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.codeName}
            </option>
          ))}
        <option value="nobody">{t('page.assignNobody')}</option>
      </select>
      <FieldError id="assign-assignee-error" messages={err} />
      <FormMessage state={state} id="assign-error" />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t('page.assignSubmit')}
        </button>
      </div>
    </form>
  );
}
