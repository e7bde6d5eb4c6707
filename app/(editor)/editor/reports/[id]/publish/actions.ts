'use server';

import { redirect } from 'next/navigation';
import { getAccountWithRole } from '@/lib/auth/session';
import { previewPublication, publishReport, retractReport } from '@/lib/publishing/publish';
import { parsePublishForm, parseRetractionForm, readPublishFormValues, type PublishFormValues } from '@/lib/publishing/publish-choices';
import type { PublicationSnapshot } from '@/lib/publishing/snapshot';
import { stateFormAction } from '@/lib/http/server-action';

/**
 * What the publish form shows after a post: the editor's values (never lost), a preview snapshot
 * after "Preview", or a refusal with an i18n message key and field errors.
 */
export type PublishFormState = {
  status: 'idle' | 'preview' | 'refused';
  message: string | null;
  fieldErrors: Record<string, string[]>;
  values: PublishFormValues;
  preview: PublicationSnapshot | null;
};

/** What the retraction form shows after a refused post. */
export type RetractFormState = { message: string | null; fieldErrors: Record<string, string[]>; reason: string };

function reportIdOf(formData: FormData): string {
  const value = formData.get('reportId');
  return typeof value === 'string' ? value.slice(0, 20) : '';
}

/**
 * The publish form's Server Action (works without JavaScript). `intent` = 'preview' builds the
 * snapshot and shows it; 'publish' publishes (or republishes) and redirects back to the page with
 * a confirmation. Order: who is calling, may they (the data layer checks the report and the
 * workflow), is the input valid, change, redirect.
 */
export const publishFormAction = stateFormAction({ status: 'refused', message: 'publishing.errors.invalid', fieldErrors: {}, values: readPublishFormValues(new FormData()), preview: null }, async (_prev: PublishFormState, formData: FormData): Promise<PublishFormState> => {
  const values = readPublishFormValues(formData);
  const refused = (message: string, fieldErrors: Record<string, string[]> = {}): PublishFormState => ({
    status: 'refused',
    message,
    fieldErrors,
    values,
    preview: null,
  });
  const account = await getAccountWithRole(['editor', 'admin']);
  if (!account) return refused('publishing.errors.forbidden');
  const reportId = reportIdOf(formData);
  const parsed = parsePublishForm(formData);
  if (!parsed.ok) return refused(parsed.fieldErrors.version && Object.keys(parsed.fieldErrors).length === 1 ? 'publishing.errors.staleVersion' : parsed.message, parsed.fieldErrors);

  if (formData.get('intent') === 'publish') {
    const result = publishReport({ actor: account, reportId, expectedVersion: parsed.expectedVersion, choices: parsed.value });
    if (!result.ok) return refused(result.message, result.fieldErrors);
    redirect(`/editor/reports/${encodeURIComponent(reportId)}/publish?done=${result.isRepublish ? 'republished' : 'published'}`);
  }

  const preview = previewPublication({ actor: account, reportId, choices: parsed.value });
  if (!preview.ok) return refused(preview.message, preview.fieldErrors);
  return { status: 'preview', message: null, fieldErrors: {}, values: { ...parsed.value, photoCaptions: values.photoCaptions }, preview: preview.snapshot };
});

/** The retraction form's Server Action: reason required, version-guarded; redirects on success. */
export const retractFormAction = stateFormAction({ message: 'publishing.errors.retractInvalid', fieldErrors: {}, reason: '' }, async (_prev: RetractFormState, formData: FormData): Promise<RetractFormState> => {
  const reasonTyped = typeof formData.get('reason') === 'string' ? String(formData.get('reason')).slice(0, 4000) : '';
  const account = await getAccountWithRole(['editor', 'admin']);
  if (!account) return { message: 'publishing.errors.forbidden', fieldErrors: {}, reason: reasonTyped };
  const reportId = reportIdOf(formData);
  const parsed = parseRetractionForm(formData);
  if (!parsed.ok) return { message: parsed.message, fieldErrors: parsed.fieldErrors, reason: reasonTyped };
  const result = retractReport({ actor: account, reportId, expectedVersion: parsed.expectedVersion, reason: parsed.value.reason });
  if (!result.ok) return { message: result.message, fieldErrors: result.fieldErrors ?? {}, reason: reasonTyped };
  redirect(`/editor/reports/${encodeURIComponent(reportId)}/publish?done=retracted`);
});
