/**
 * The report form's schemas in the browser, loaded on demand (see validation.ts): the first focus
 * in the form starts the download, and every caller shares it. Until they load — or when they
 * cannot (offline) — the form finds nothing wrong and the server validates anyway.
 */
import type { Resolver } from 'react-hook-form';
import type { ReportFormValues } from '@/lib/reports/form-values';

export type Validation = typeof import('./validation');

let validation: Promise<Validation> | null = null;

/** The validation module; a failed download is forgotten, so the next call tries again. */
export function loadValidation(): Promise<Validation> {
  validation ??= import('./validation').catch((error: unknown) => {
    validation = null;
    throw error;
  });
  return validation;
}

/** react-hook-form resolver that waits for the schemas; until they load (offline) it finds nothing wrong. */
export const resolveLazily: Resolver<ReportFormValues> = async (values, context, options) => {
  try {
    return (await loadValidation()).resolveReport(values, context, options);
  } catch {
    return { values, errors: {} };
  }
};
