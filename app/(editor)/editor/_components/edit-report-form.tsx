'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import { AGENCY_ROLES, CURRENCIES, DIRECTIONS, PLACE_PRECISIONS, SOURCE_TYPES, TIME_ZONES, VEHICLE_TYPES } from '@/db/enums';
import { isReportMessageKey, reportMessageValues } from '@/lib/reports/messages';
import { AGENCY_OTHER, type ReportFormValues } from '@/lib/reports/form-values';
import { editAction } from '../reports/[id]/actions';
import type { EditReportFormState } from './form-state';

type Option = { id: string; name: string };

/**
 * The editor's correction form: every part of the report, with the field names of
 * lib/reports/form-data.ts so the server parses it exactly like the partner's form. Rows are added
 * and removed with submit buttons (no JavaScript needed); nothing is saved until "Save changes".
 */
export function EditReportForm({
  reportId,
  version,
  initialValues,
  places,
  agencies,
  categories,
}: {
  reportId: number;
  version: number;
  initialValues: ReportFormValues;
  places: (Option & { parentName: string | null })[];
  agencies: Option[];
  categories: Option[];
}) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<EditReportFormState, FormData>(editAction, {
    ok: false,
    values: initialValues,
    attempt: 0,
  });
  const v = state.values;
  const errors = state.fieldErrors ?? {};
  const msg = (key: string) => (isReportMessageKey(key) ? t(key, reportMessageValues(key)) : t(key));
  const k = (name: string) => `${name}-${state.attempt}`;
  const err = (path: string) => errors[path];
  const a11y = (path: string) => ({
    'aria-invalid': err(path) ? true : undefined,
    'aria-describedby': err(path) ? `${path.replace(/\./g, '-')}-error` : undefined,
  });
  const fieldError = (path: string) =>
    err(path) ? (
      <p className="field-error" id={`${path.replace(/\./g, '-')}-error`}>
        {err(path)?.map(msg).join(' ')}
      </p>
    ) : null;
  const allMessages = [...new Set([...(state.formErrors ?? []), ...Object.values(errors).flat()])];
  const text = (path: string, label: string, value: string, opts: { multiline?: boolean; type?: string } = {}) => {
    const id = `e-${path.replace(/\./g, '-')}`;
    return (
      <div>
        <label htmlFor={id}>{label}</label>
        {opts.multiline ? (
          <textarea id={id} name={path} defaultValue={value} key={k(path)} {...a11y(path)} />
        ) : (
          <input id={id} name={path} type={opts.type ?? 'text'} defaultValue={value} key={k(path)} {...a11y(path)} />
        )}
        {fieldError(path)}
      </div>
    );
  };
  const select = (path: string, label: string, value: string, options: { value: string; label: string }[], withEmpty = true) => {
    const id = `e-${path.replace(/\./g, '-')}`;
    return (
      <div>
        <label htmlFor={id}>{label}</label>
        <select id={id} name={path} defaultValue={value} key={k(path)} {...a11y(path)}>
          {withEmpty ? <option value="">{t('review.edit.choose')}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {fieldError(path)}
      </div>
    );
  };
  const enumOptions = (group: string, values: readonly string[]) => values.map((value) => ({ value, label: t(`review.enums.${group}.${value}`) }));
  const timeChoice = (field: 'observedFromChoice' | 'observedToChoice') =>
    select(field, t('review.edit.timeChoice'), v[field], [
      { value: 'earlier', label: t('review.edit.timeChoiceEarlier') },
      { value: 'later', label: t('review.edit.timeChoiceLater') },
    ]);

  return (
    <form action={formAction} noValidate aria-label={t('review.edit.title', { id: reportId })}>
      {/* Enter in a text field presses the first submit button: make that "save". */}
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {t('review.edit.save')}
      </button>
      {state.messageKey ? (
        <div className="error-summary" role="alert" id="edit-error">
          <p>{msg(state.messageKey)}</p>
          {allMessages.length > 0 ? (
            <ul>
              {allMessages
                .filter((m) => m !== state.messageKey)
                .map((m) => (
                  <li key={m}>{msg(m)}</li>
                ))}
            </ul>
          ) : null}
          {state.code === 'stale' ? (
            <p>
              <a href={`/editor/reports/${reportId}/edit`}>{t('review.page.reload')}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <input type="hidden" name="reportId" value={reportId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="clientId" value={v.clientId} />

      <fieldset>
        <legend>{t('review.edit.when')}</legend>
        <div className="grid-2">
          {text('observedFrom', t('review.edit.observedFrom'), v.observedFrom, { type: 'datetime-local' })}
          {text('observedTo', t('review.edit.observedTo'), v.observedTo, { type: 'datetime-local' })}
          {timeChoice('observedFromChoice')}
          {timeChoice('observedToChoice')}
          {select('timeZone', t('review.edit.timeZone'), v.timeZone, TIME_ZONES.map((z) => ({ value: z, label: z })), false)}
        </div>
        {text('timeNote', t('review.edit.timeNote'), v.timeNote, { multiline: true })}
      </fieldset>

      <fieldset>
        <legend>{t('review.edit.where')}</legend>
        {select(
          'placeId',
          t('review.edit.place'),
          v.placeId,
          places.map((p) => ({ value: p.id, label: p.parentName ? `${p.name} — ${p.parentName}` : p.name })),
        )}
        {text('placeDetail', t('review.edit.placeDetail'), v.placeDetail)}
        {select('placePrecision', t('review.edit.precision'), v.placePrecision, enumOptions('precisions', PLACE_PRECISIONS))}
      </fieldset>

      <fieldset>
        <legend>{t('review.edit.what')}</legend>
        {text('title', t('review.edit.titleField'), v.title)}
        {text('narrative', t('review.edit.narrative'), v.narrative, { multiline: true })}
        {select('sourceType', t('review.edit.sourceType'), v.sourceType, enumOptions('sourceTypes', SOURCE_TYPES))}
        {text('safetyNote', t('review.edit.safetyNote'), v.safetyNote, { multiline: true })}
      </fieldset>

      <fieldset>
        <legend>{t('review.edit.vehicles')}</legend>
        {fieldError('vehicles')}
        {v.vehicles.map((row, i) => (
          <fieldset key={`${i}-${state.attempt}`}>
            <legend>{t('review.edit.vehicleRow', { n: i + 1 })}</legend>
            <div className="grid-2">
              {select(`vehicles.${i}.vehicleType`, t('review.edit.vehicleType'), row.vehicleType, enumOptions('vehicleTypes', VEHICLE_TYPES))}
              {text(`vehicles.${i}.count`, t('review.edit.count'), row.count)}
              {select(`vehicles.${i}.direction`, t('review.edit.direction'), row.direction, enumOptions('directions', DIRECTIONS))}
              {text(`vehicles.${i}.colours`, t('review.edit.colours'), row.colours)}
              {text(`vehicles.${i}.cargo`, t('review.edit.cargo'), row.cargo)}
            </div>
            <p className="checkbox-row">
              <input id={`e-vehicles-${i}-isEstimate`} type="checkbox" name={`vehicles.${i}.isEstimate`} defaultChecked={row.isEstimate} key={k(`vehicles.${i}.isEstimate`)} />
              <label htmlFor={`e-vehicles-${i}-isEstimate`}>{t('review.edit.isEstimate')}</label>
            </p>
            <button type="submit" name="intent" value={`remove-vehicle:${i}`} className="secondary" formNoValidate>
              {t('review.edit.removeRow')}
            </button>
          </fieldset>
        ))}
        <button type="submit" name="intent" value="add-vehicle" className="secondary" formNoValidate>
          {t('review.edit.addVehicle')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('review.edit.goods')}</legend>
        {fieldError('goods')}
        {v.goods.map((row, i) => (
          <fieldset key={`${i}-${state.attempt}`}>
            <legend>{t('review.edit.goodsRow', { n: i + 1 })}</legend>
            <div className="grid-2">
              {select(`goods.${i}.categoryId`, t('review.edit.category'), row.categoryId, categories.map((c) => ({ value: c.id, label: c.name })))}
              {text(`goods.${i}.description`, t('review.edit.description'), row.description)}
              {select(`goods.${i}.direction`, t('review.edit.direction'), row.direction, enumOptions('directions', DIRECTIONS))}
              {text(`goods.${i}.quantity`, t('review.edit.quantity'), row.quantity)}
              {text(`goods.${i}.unit`, t('review.edit.unit'), row.unit)}
              {text(`goods.${i}.value`, t('review.edit.value'), row.value)}
              {select(`goods.${i}.currency`, t('review.edit.currency'), row.currency, CURRENCIES.map((c) => ({ value: c, label: c })))}
            </div>
            <button type="submit" name="intent" value={`remove-goods:${i}`} className="secondary" formNoValidate>
              {t('review.edit.removeRow')}
            </button>
          </fieldset>
        ))}
        <button type="submit" name="intent" value="add-goods" className="secondary" formNoValidate>
          {t('review.edit.addGoods')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('review.edit.agencies')}</legend>
        {fieldError('agencies')}
        {v.agencies.map((row, i) => (
          <fieldset key={`${i}-${state.attempt}`}>
            <legend>{t('review.edit.agencyRow', { n: i + 1 })}</legend>
            <div className="grid-2">
              {select(`agencies.${i}.agencyId`, t('review.edit.agency'), row.agencyId, [
                ...agencies.map((a) => ({ value: a.id, label: a.name })),
                { value: AGENCY_OTHER, label: t('review.edit.otherAgency') },
              ])}
              {text(`agencies.${i}.otherName`, t('review.edit.otherName'), row.otherName)}
              {select(`agencies.${i}.role`, t('review.edit.role'), row.role, enumOptions('agencyRoles', AGENCY_ROLES))}
              {text(`agencies.${i}.note`, t('review.edit.note'), row.note)}
            </div>
            <button type="submit" name="intent" value={`remove-agency:${i}`} className="secondary" formNoValidate>
              {t('review.edit.removeRow')}
            </button>
          </fieldset>
        ))}
        <button type="submit" name="intent" value="add-agency" className="secondary" formNoValidate>
          {t('review.edit.addAgency')}
        </button>
      </fieldset>

      <div className="row-actions">
        <button type="submit" name="intent" value="save" disabled={isPending}>
          {t('review.edit.save')}
        </button>
        <a className="button secondary" href={`/editor/reports/${reportId}`}>
          {t('review.edit.cancel')}
        </a>
      </div>
    </form>
  );
}
