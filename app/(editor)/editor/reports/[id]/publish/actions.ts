'use server';

import { parseQueueContext, QUEUE_CONTEXT_FIELD, queueContextParams } from '@/lib/review/schema';
import { redirect } from 'next/navigation';
import { areaStateAction } from '@/lib/http/area-action';
import type { Actor } from '@/lib/accounts/actor';
import { checkPublicText, previewPublication } from '@/lib/publishing/editor-view';
import type { LeakFlag } from '@/lib/publishing/leak-check';
import { isConfirmed } from '@/lib/confirmation';
import { publishReport, retractReport } from '@/lib/publishing/publish';
import { parsePublishForm, parseRetractionForm, readPublishFormValues, type PublishFormValues } from '@/lib/publishing/publish-choices';
import type { PublicationSnapshot } from '@/lib/publishing/snapshot';

/**
 * What the publish form shows after a post: the editor's values (never lost), a preview snapshot
 * after "Preview", or a refusal with an i18n message key and field errors, and the leak flags of
 * the text as posted (each shown next to its field with a checkbox to confirm it).
 */
export type PublishFormState = {
  status: 'idle' | 'preview' | 'refused';
  message: string | null;
  fieldErrors: Record<string, string[]>;
  values: PublishFormValues;
  preview: PublicationSnapshot | null;
  leaks: LeakFlag[];
};

/** What the retraction form shows after a refused post. */
export type RetractFormState = { message: string | null; fieldErrors: Record<string, string[]>; reason: string };

function reportIdOf(formData: FormData): string {
  const value = formData.get('reportId');
  return typeof value === 'string' ? value.slice(0, 20) : '';
}

/** The leak flags of the text as posted, for an editor who may see the report (else none). */
function leaksOf(actor: Actor | null, reportId: string, values: PublishFormValues): LeakFlag[] {
  return actor ? (checkPublicText({ actor, reportId, choices: values }) ?? []) : [];
}

/** The publish form's state for a refusal: the message, its field errors, the values as posted and their leak flags. */
function publishRefused(
  formData: FormData,
  message: string,
  fieldErrors: Record<string, string[]> = {},
  actor: Actor | null = null,
): PublishFormState {
  const values = readPublishFormValues(formData);
  return { status: 'refused', message, fieldErrors, values, preview: null, leaks: leaksOf(actor, reportIdOf(formData), values) };
}

/** The retraction form's state for a refusal, with the reason as typed. */
function retractRefused(formData: FormData, message: string, fieldErrors: Record<string, string[]> = {}): RetractFormState {
  const reason = formData.get('reason');
  return { message, fieldErrors, reason: typeof reason === 'string' ? reason.slice(0, 4000) : '' };
}

/**
 * The publish form's Server Action (works without JavaScript). `intent` = 'preview' builds the
 * snapshot and shows it; 'publish' publishes (or republishes) and redirects back to the page with
 * a confirmation. Order: who is calling, may they (areaStateAction: editors and admins; anyone else
 * gets the form back with 'publishing.errors.forbidden' and nothing lost; the data layer checks the
 * report and the workflow), is the input valid, change, redirect.
 */
export const publishFormAction = areaStateAction<PublishFormState>(
  'editor',
  {
    refused: {
      status: 'refused',
      message: 'publishing.errors.invalid',
      fieldErrors: {},
      values: readPublishFormValues(new FormData()),
      preview: null,
      leaks: [],
    },
    signedOut: (_previous, formData) => publishRefused(formData, 'publishing.errors.forbidden'),
  },
  async ({ actor, formData }) => {
    const values = readPublishFormValues(formData);
    const reportId = reportIdOf(formData);
    const parsed = parsePublishForm(formData);
    if (!parsed.ok) {
      const onlyVersion = parsed.fieldErrors.version && Object.keys(parsed.fieldErrors).length === 1;
      return publishRefused(formData, onlyVersion ? 'publishing.errors.staleVersion' : parsed.messageKey, parsed.fieldErrors, actor);
    }

    if (formData.get('intent') === 'publish') {
      const result = publishReport({
        actor,
        reportId,
        expectedVersion: parsed.expectedVersion,
        choices: parsed.value,
        confirmedLeaks: parsed.confirmedLeaks,
      });
      if (!result.ok) return publishRefused(formData, result.messageKey, result.fieldErrors, actor);
      // The queue the page came from goes back on (read as the queue reads it), for "Next report".
      const queue = queueContextParams(parseQueueContext(new URLSearchParams(String(formData.get(QUEUE_CONTEXT_FIELD) ?? '')))).toString();
      redirect(`/editor/reports/${encodeURIComponent(reportId)}/publish?done=${result.isRepublish ? 'republished' : 'published'}${queue ? `&${queue}` : ''}`);
    }

    const preview = previewPublication({ actor, reportId, choices: parsed.value });
    if (!preview.ok) return publishRefused(formData, preview.messageKey, preview.fieldErrors, actor);
    return {
      status: 'preview',
      message: null,
      fieldErrors: {},
      values: { ...parsed.value, photoCaptions: values.photoCaptions, confirmedLeaks: parsed.confirmedLeaks },
      preview: preview.snapshot,
      leaks: leaksOf(actor, reportId, parsed.value),
    };
  },
);

/**
 * The retraction form's Server Action: reason required, the confirming tick required (a retraction
 * is final; lib/confirmation.ts), version-guarded; redirects on success.
 */
export const retractFormAction = areaStateAction<RetractFormState>(
  'editor',
  {
    refused: { message: 'publishing.errors.retractInvalid', fieldErrors: {}, reason: '' },
    signedOut: (_previous, formData) => retractRefused(formData, 'publishing.errors.forbidden'),
  },
  async ({ actor, formData }) => {
    const reportId = reportIdOf(formData);
    const parsed = parseRetractionForm(formData);
    if (!parsed.ok) return retractRefused(formData, parsed.messageKey, parsed.fieldErrors);
    if (!isConfirmed(formData)) return retractRefused(formData, 'publishing.errors.confirmRequired', { confirm: ['publishing.errors.confirmRequired'] });
    const result = retractReport({ actor, reportId, expectedVersion: parsed.expectedVersion, reason: parsed.value.reason });
    if (!result.ok) return retractRefused(formData, result.messageKey, result.fieldErrors);
    redirect(`/editor/reports/${encodeURIComponent(reportId)}/publish?done=retracted`);
  },
);
