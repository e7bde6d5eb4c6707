'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { ErrorSummary, FieldError, InputField } from '@/app/_components/form-parts';
import { DIGEST_INTERVAL_HOURS } from '@/lib/notifications/schema';
import { saveNotificationsAction, turnOffNotificationsAction } from './actions';
import type { NotificationsFormState } from './form-state';

/**
 * The digest's settings: address and interval (save turns it on), and "turn off" when it is on.
 * Plain forms posting to Server Actions, so they work without JavaScript.
 */
export function NotificationsForm({ current }: { current: { address: string; intervalHours: number } | null }) {
  const t = useTranslations('desk.notifications');
  const tAll = useTranslations();
  const [saved, save, saving] = useActionState<NotificationsFormState, FormData>(saveNotificationsAction, { ok: false });
  const [off, turnOff, turningOff] = useActionState<NotificationsFormState, FormData>(turnOffNotificationsAction, { ok: false });
  const address = saved.values?.address ?? current?.address ?? '';
  const interval = saved.values?.intervalHours ?? String(current?.intervalHours ?? 24);
  return (
    <>
      {saved.ok && saved.messageKey ? (
        <p className="notice ok" role="status">
          {tAll(saved.messageKey, { interval: t(`intervals.${saved.intervalHours ?? interval}`) })}
        </p>
      ) : null}
      {off.ok && off.messageKey ? (
        <p className="notice ok" role="status">
          {tAll(off.messageKey)}
        </p>
      ) : null}
      {!saved.ok && saved.messageKey ? <ErrorSummary messageKey={saved.messageKey} /> : null}
      {!off.ok && off.messageKey ? <ErrorSummary messageKey={off.messageKey} /> : null}
      <form action={save} aria-label={t('title')}>
        <InputField id="notify-address" name="address" type="email" autoComplete="email" label={t('address')} errors={saved.fieldErrors?.address ?? []} defaultValue={address} key={address} required />
        <label htmlFor="notify-interval">{t('interval')}</label>
        <select id="notify-interval" name="intervalHours" defaultValue={interval} key={interval} aria-describedby={saved.fieldErrors?.intervalHours ? 'notify-interval-error' : undefined}>
          {DIGEST_INTERVAL_HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {t(`intervals.${h}`)}
            </option>
          ))}
        </select>
        <FieldError id="notify-interval-error" messages={saved.fieldErrors?.intervalHours} />
        <div className="row-actions">
          <button type="submit" disabled={saving}>
            {t('save')}
          </button>
        </div>
      </form>
      {current ? (
        <form action={turnOff}>
          <button type="submit" className="secondary" disabled={turningOff}>
            {t('turnOff')}
          </button>
        </form>
      ) : null}
    </>
  );
}
