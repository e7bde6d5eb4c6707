'use server';

import { forbidden, notFound, redirect } from 'next/navigation';
import { areaFormAction } from '@/lib/http/area-action';
import { removePhoto, updateCaption } from '@/lib/photos/photos';

/** The report id the form names (digits only; anything else is a 404). */
function reportIdOf(formData: FormData): string {
  const value = formData.get('reportId');
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) notFound();
  return value;
}

/**
 * Save a photo's caption (form fields: reportId, photoId, caption). Works without JavaScript:
 * redirects back to the photos page with `?done=caption_saved` or `?error=<code>`. Partners only
 * (anyone else, signed out included, gets 403);
 * a photo of someone else's report is a 404. The data layer checks ownership and editability.
 */
export const savePhotoCaptionAction = areaFormAction('partner', async ({ actor, formData }): Promise<void> => {
  const reportId = reportIdOf(formData);
  const result = updateCaption({ actor, photoId: formData.get('photoId'), caption: formData.get('caption') });
  if (!result.ok && result.code === 'not_found') notFound();
  redirect(`/partner/reports/${result.ok ? result.reportId : reportId}/photos?${result.ok ? 'done=caption_saved' : `error=${result.code}`}`);
}, { signedOut: forbidden });

/**
 * Remove a photo (form fields: reportId, photoId): the row first, then its file. Redirects back
 * with `?done=removed` or `?error=<code>`. Partners only; someone else's photo is a 404.
 */
export const removePhotoAction = areaFormAction('partner', async ({ actor, formData }): Promise<void> => {
  const reportId = reportIdOf(formData);
  const result = await removePhoto({ actor, photoId: formData.get('photoId') });
  if (!result.ok && result.code === 'not_found') notFound();
  redirect(`/partner/reports/${result.ok ? result.reportId : reportId}/photos?${result.ok ? 'done=removed' : `error=${result.code}`}`);
}, { signedOut: forbidden });
