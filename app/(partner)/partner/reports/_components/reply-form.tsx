'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { postReportReply } from '../actions';
import type { ReplyFormState } from './form-state';
import { KeptOwnerField } from '../../_device/kept-owner';

/** The partner's reply on their report's thread: a plain form posted to a Server Action. */
export function ReplyForm({ reportId }: { reportId: number }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<ReplyFormState, FormData>(postReportReply, {
    seq: 0,
    ok: false,
    messageKey: null,
    fieldErrors: {},
    body: '',
  });
  const errors = state.fieldErrors.body ?? [];
  return (
    <form action={formAction} noValidate>
      <input type="hidden" name="reportId" value={reportId} />
      <KeptOwnerField />
      <label htmlFor="reply-body">{t('report.page.reply')}</label>
      <textarea
        id="reply-body"
        name="body"
        rows={4}
        maxLength={5000}
        key={state.seq}
        defaultValue={state.body}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={errors.length > 0 ? 'reply-body-error' : undefined}
      />
      {errors.length > 0 ? (
        <p className="field-error" id="reply-body-error">
          {errors.map((key) => t(key)).join(' ')}
        </p>
      ) : null}
      {state.messageKey && errors.length === 0 ? (
        <p className={state.ok ? 'notice ok' : 'field-error'} role="status">
          {t(state.messageKey)}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" disabled={isPending}>
          {t('messages.send')}
        </button>
      </div>
    </form>
  );
}
