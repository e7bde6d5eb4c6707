/**
 * The report form's validation in the browser: react-hook-form's resolver over the same zod submit
 * schema the server uses (lib/reports/schema.ts). Loaded on demand — when the partner first
 * focuses the form — so the page's first load stays small (zod is the largest part of it).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import type { FieldErrors, Resolver } from 'react-hook-form';
import { rowErrorsAsPosted, withoutEmptyRows } from '@/lib/reports/form-data';
import { emptyRowIndexes, type ReportErrors, type ReportFormValues, type ReportRowSection } from '@/lib/reports/form-values';
import { collectReportErrors, submitSchema } from '@/lib/reports/schema';

const resolveFilled = zodResolver(submitSchema) as unknown as Resolver<ReportFormValues>;

/**
 * react-hook-form's nested errors of the submitted rows moved to the rows' places on the page
 * (`positions` as withoutEmptyRows gives them): errors.vehicles[i] → errors.vehicles[positions.vehicles[i]];
 * a section's own messages (its 'root', the row cap) stay on the section.
 */
export function rowErrorsOnPage(errors: FieldErrors<ReportFormValues>, positions: Record<ReportRowSection, readonly number[]>): FieldErrors<ReportFormValues> {
  const moved: Record<string, unknown> = { ...errors };
  for (const section of ['vehicles', 'goods', 'agencies'] as const) {
    const rows = errors[section] as Record<string, unknown> | undefined;
    if (!rows || typeof rows !== 'object') continue;
    // An array as react-hook-form keeps a field array's errors, with any 'root' key kept beside.
    const onPage = [] as unknown[];
    for (const [key, value] of Object.entries(rows)) {
      const at = /^\d+$/.test(key) ? positions[section][Number(key)] : undefined;
      if (at !== undefined) onPage[at] = value;
      else Object.assign(onPage, { [key]: value });
    }
    moved[section] = onPage;
  }
  return moved as FieldErrors<ReportFormValues>;
}

/**
 * react-hook-form resolver: instant validation with the submit schema (messages are i18n keys).
 * As on submit, the blank rows kept ready (form-values.ts isEmptyRow) are left out, so a row the
 * partner never touched never shows a message; messages stand at the rows' numbers on the page.
 */
export const resolveReport: Resolver<ReportFormValues> = async (values, context, options) => {
  const { values: filled, positions } = withoutEmptyRows(values, emptyRowIndexes(values));
  // No field refs: the rows' indexes differ from the page's (refs serve focus and native validation, both off).
  const result = await resolveFilled(filled, context, { ...options, fields: {} });
  if (Object.keys(result.errors).length === 0) return { values, errors: {} };
  return { values: {}, errors: rowErrorsOnPage(result.errors, positions) };
};

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
