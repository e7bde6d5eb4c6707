import 'server-only';
import { getMessages } from 'next-intl/server';

/**
 * The messages the report form needs in the browser: the `report` namespace without the list and
 * report-page texts (keeps the page's payload small; the form never shows those), and the photo
 * picker's texts of the `photos` namespace.
 */
export async function reportFormMessages(): Promise<Record<string, Record<string, unknown>>> {
  const messages = (await getMessages()) as Record<string, unknown>;
  const report = (messages.report ?? {}) as Record<string, unknown>;
  const photos = (messages.photos ?? {}) as Record<string, unknown>;
  return {
    report: { errors: report.errors, timeChoice: report.timeChoice, form: report.form, outcome: report.outcome },
    // The form's photo picker and its queue (form-photos.tsx).
    photos: { formPhotos: photos.formPhotos, upload: photos.upload, errors: photos.errors },
  };
}
