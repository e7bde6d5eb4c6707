import 'server-only';
import { getMessages } from 'next-intl/server';

/**
 * The messages the report form needs in the browser: the `report` namespace without the list and
 * report-page texts (keeps the page's payload small; the form never shows those).
 */
export async function reportFormMessages(): Promise<Record<string, Record<string, unknown>>> {
  const messages = (await getMessages()) as Record<string, unknown>;
  const report = (messages.report ?? {}) as Record<string, unknown>;
  return { report: { errors: report.errors, timeChoice: report.timeChoice, form: report.form, outcome: report.outcome } };
}
