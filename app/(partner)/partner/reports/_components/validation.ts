/**
 * The report form's validation in the browser: react-hook-form's resolver over the same zod submit
 * schema the server uses (lib/reports/schema.ts). Loaded on demand — when the partner first
 * focuses the form — so the page's first load stays small (zod is the largest part of it).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import type { Resolver } from 'react-hook-form';
import { rowErrorsAsPosted, withoutEmptyRows } from '@/lib/reports/form-data';
import { emptyRowIndexes, type ReportErrors, type ReportFormValues } from '@/lib/reports/form-values';
import { collectReportErrors, submitSchema } from '@/lib/reports/schema';

/** react-hook-form resolver: instant validation with the submit schema (messages are i18n keys). */
export const resolveReport = zodResolver(submitSchema) as unknown as Resolver<ReportFormValues>;

/**
 * Every problem that would stop a submit, or null when the values may be submitted. As on the
 * server, empty rows (blank rows kept ready, unticked agencies) are left out, and each message
 * stands at the row's number on the page.
 */
export function checkForSubmit(values: ReportFormValues): ReportErrors | null {
  const { values: filled, positions } = withoutEmptyRows(values, emptyRowIndexes(values));
  const checked = submitSchema.safeParse(filled);
  if (checked.success) return null;
  const errors = collectReportErrors(checked.error.issues);
  return { formErrors: errors.formErrors, fieldErrors: rowErrorsAsPosted(errors.fieldErrors, positions) };
}
