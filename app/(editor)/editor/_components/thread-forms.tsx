'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { Options } from '@/app/_components/options';
import { LINK_KINDS } from '@/lib/enums';
import { linkAction, postToThreadAction, unlinkAction } from '../reports/[id]/actions';
import { FieldError, FormMessage } from './form-message';
import { INITIAL_FORM_STATE } from './form-state';
import { QueueField, reviewPermalink } from './queue-field';

type Ref = { reportId: number; version: number; queue?: string };

/** An internal note (`kind="note"`) or a message to the partner (`kind="message"`). */
export function ThreadPostForm({ reportId, version, queue, kind }: Ref & { kind: 'note' | 'message' }) {
  const t = useTranslations('review');
  const idp = `thread-${kind}`;
  const [state, formAction, isPending] = useActionState(postToThreadAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, `${idp}-error`));
  const label = kind === 'note' ? t('page.postNote') : t('page.postMessage');
  return (
    <form action={formAction} aria-labelledby={`${idp}-title`} noValidate>
      <h3 id={`${idp}-title`}>{kind === 'note' ? t('page.internal') : t('decision.message')}</h3>
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <input type="hidden" name="kind" value={kind} />
      <label htmlFor={`${idp}-body`}>{t('page.postBody')}</label>
      <textarea
        id={`${idp}-body`}
        name="body"
        maxLength={5000}
        defaultValue={state.values.body ?? ''}
        key={`b-${state.attempt}`}
        aria-invalid={state.fieldErrors?.body ? true : undefined}
        aria-describedby={state.fieldErrors?.body ? `${idp}-body-error` : undefined}
      />
      <FieldError id={`${idp}-body-error`} messages={state.fieldErrors?.body} />
      <FormMessage state={state} id={`${idp}-error`} />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {label}
        </button>
      </div>
    </form>
  );
}

/** Link this report to another one as corroborating or contradicting. */
export function LinkForm({ reportId, version, queue }: Ref) {
  const t = useTranslations('review');
  const [state, formAction, isPending] = useActionState(linkAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, 'link-error'));
  const err = state.fieldErrors ?? {};
  return (
    <form action={formAction} aria-label={t('page.link')} noValidate>
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <div className="grid-2">
        <div>
          <label htmlFor="link-other">{t('page.linkOther')}</label>
          <input
            id="link-other"
            name="otherReportId"
            inputMode="numeric"
            defaultValue={state.values.otherReportId ?? ''}
            key={`o-${state.attempt}`}
            aria-invalid={err.otherReportId ? true : undefined}
            aria-describedby={err.otherReportId ? 'link-other-error' : undefined}
          />
          <FieldError id="link-other-error" messages={err.otherReportId} />
        </div>
        <div>
          <label htmlFor="link-kind">{t('page.linkKind')}</label>
          <select id="link-kind" name="kind" defaultValue={state.values.kind ?? 'corroborates'} key={`k-${state.attempt}`}>
            <Options options={LINK_KINDS.map((k) => ({ value: k, label: t(`linkKinds.${k}`) }))} />
          </select>
        </div>
      </div>
      <FormMessage state={state} id="link-error" />
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t('page.link')}
        </button>
      </div>
    </form>
  );
}

/** The "Remove link" button of one corroboration link. */
export function UnlinkForm({ reportId, version, queue, linkId, label }: Ref & { linkId: number; label: string }) {
  const t = useTranslations('review');
  const [state, formAction, isPending] = useActionState(unlinkAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, `unlink-${linkId}-error`));
  return (
    <form action={formAction} className="inline-form">
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <input type="hidden" name="linkId" value={linkId} />
      <button type="submit" className="link" aria-label={label} disabled={isPending}>
        {t('page.unlink')}
      </button>
      <FormMessage state={state} id={`unlink-${linkId}-error`} />
    </form>
  );
}

/**
 * One row of the nearby list (issue 19 item 9): link that report to this one as corroborating or
 * contradicting in one click — two submit buttons posting `kind` to the same link action.
 */
export function NearbyLinkForm({ reportId, version, queue, otherReportId }: Ref & { otherReportId: number }) {
  const t = useTranslations('review');
  const idp = `nearby-${otherReportId}`;
  const [state, formAction, isPending] = useActionState(linkAction, INITIAL_FORM_STATE, reviewPermalink(reportId, queue, `${idp}-error`));
  return (
    <form action={formAction} className="inline-form" aria-label={t('page.nearbyLinkForm', { id: otherReportId })}>
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <QueueField value={queue} />
      <input type="hidden" name="otherReportId" value={otherReportId} />
      {LINK_KINDS.map((kind) => (
        <button key={kind} type="submit" name="kind" value={kind} className="secondary" disabled={isPending} aria-label={t('page.nearbyLinkAs', { id: otherReportId, kind: t(`linkKinds.${kind}`) })}>
          {t(`page.nearbyLink.${kind}`)}
        </button>
      ))}
      <FormMessage state={state} id={`${idp}-error`} />
    </form>
  );
}
