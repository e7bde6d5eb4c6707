'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { mapOtherAgencyAction, type MapOtherAgencyState } from './action';
import { Options } from '@/app/_components/options';

/** The small form itself: one select of active agencies and a button. Works without JavaScript. */
export function MapOtherAgencyForm({ rowId, otherName, agencies }: { rowId: number; otherName: string; agencies: { id: string; name: string }[] }) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<MapOtherAgencyState, FormData>(mapOtherAgencyAction, { ok: false });
  const selectId = `map-agency-${rowId}`;
  const errors = [state.messageKey && !state.ok ? state.messageKey : null, ...(state.fieldErrors?.agencyId ?? [])].filter((m): m is string => !!m);
  if (state.ok) {
    return (
      <p className="notice ok" role="status">
        {t('reference.mapOther.done')}
      </p>
    );
  }
  return (
    <form action={formAction} className="map-other-agency">
      <input type="hidden" name="reportAgencyRowId" value={rowId} />
      <label htmlFor={selectId}>{t('reference.mapOther.label', { name: otherName })}</label>
      <select id={selectId} name="agencyId" defaultValue="" aria-invalid={errors.length ? true : undefined} aria-describedby={errors.length ? `${selectId}-error` : undefined}>
        <Options placeholder={t('reference.mapOther.choose')} options={agencies.map((a) => ({ value: a.id, label: a.name }))} />
      </select>
      {errors.length ? (
        <p className="field-error" id={`${selectId}-error`} role="alert">
          {[...new Set(errors)].map((m) => t(m)).join(' ')}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" className="secondary" disabled={isPending}>
          {t('reference.mapOther.submit')}
        </button>
      </div>
    </form>
  );
}
