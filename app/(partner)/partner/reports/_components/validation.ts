/**
 * The report form's validation in the browser: react-hook-form's resolver over the same zod submit
 * schema the server uses (lib/reports/schema.ts). Loaded on demand — when the partner first
 * focuses the form — so the page's first load stays small (zod is the largest part of it).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import type { Resolver } from 'react-hook-form';
import type { ReportErrors, ReportFormValues } from '@/lib/reports/form-values';
import { collectReportErrors, submitSchema } from '@/lib/reports/schema';

/** react-hook-form resolver: instant validation with the submit schema (messages are i18n keys). */
export const resolveReport = zodResolver(submitSchema) as unknown as Resolver<ReportFormValues>;

/** Every problem that would stop a submit, or null when the values may be submitted. */
export function checkForSubmit(values: ReportFormValues): ReportErrors | null {
  const checked = submitSchema.safeParse(values);
  return checked.success ? null : collectReportErrors(checked.error.issues);
}
