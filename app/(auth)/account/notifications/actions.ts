'use server';

import { revalidatePath } from 'next/cache';
import { areaStateAction } from '@/lib/http/area-action';
import { saveNotificationSettings, turnOffNotifications } from '@/lib/notifications/settings';
import type { NotificationsFormState } from './form-state';

/**
 * The e-mail digest's settings (issue 19 item 13), editors and admins only: a partner gets 403
 * here (areaStateAction 'editor') and the data layer refuses them again (lib/notifications/settings.ts).
 */

const REFUSED: NotificationsFormState = { ok: false, messageKey: 'desk.notifications.errors.notAllowed' };

/** Turn the digest on, or change its address or interval. */
export const saveNotificationsAction = areaStateAction<NotificationsFormState>('editor', { refused: REFUSED }, async ({ actor, formData }) => {
  const values = { address: String(formData.get('address') ?? ''), intervalHours: String(formData.get('intervalHours') ?? '') };
  const result = saveNotificationSettings({ actor, input: values });
  if (!result.ok) return { ok: false, messageKey: result.messageKey, fieldErrors: result.fieldErrors, values };
  revalidatePath('/account/notifications');
  return { ok: true, messageKey: 'desk.notifications.saved', intervalHours: result.settings.enabled ? result.settings.intervalHours : undefined };
});

/** Turn the digest off and delete the address. */
export const turnOffNotificationsAction = areaStateAction<NotificationsFormState>('editor', { refused: REFUSED }, async ({ actor }) => {
  const result = turnOffNotifications({ actor });
  if (!result.ok) return { ok: false, messageKey: result.messageKey };
  revalidatePath('/account/notifications');
  return { ok: true, messageKey: 'desk.notifications.turnedOff' };
});
