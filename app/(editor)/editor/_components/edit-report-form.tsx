'use client';

import { Fragment, useActionState, useRef } from 'react';
import { useTranslations } from 'next-intl';
import { SelectField } from '@/app/_components/report-form/fields';
import { ReportFormKitProvider, useMessageText, type ReportFieldName, type ReportFormKit, type ReportFormTexts } from '@/app/_components/report-form/form-kit';
import { RowSections } from '@/app/_components/report-form/row-sections';
import { SafetyNoteField, WhatSection, WhenSection, WhereSection, type FormPlaceOption, type FormReferenceOption } from '@/app/_components/report-form/sections';
import { layoutReportRows, type ReportFormValues, type ReportRowSection } from '@/lib/reports/form-values';
import { editAction } from '../reports/[id]/actions';
import { useFocusOnAnswer } from './form-message';
import type { EditReportFormState } from './form-state';
import type { DiffLine } from '@/lib/review/diff';

/** The editor's label of each field (review.edit.*). */
const LABEL_KEYS = {
  clientId: 'titleField',
  observedFrom: 'observedFrom',
  observedFromChoice: 'timeChoice',
  observedTo: 'observedTo',
  observedToChoice: 'timeChoice',
  timeZone: 'timeZone',
  timeNote: 'timeNote',
  placeId: 'place',
  placeDetail: 'placeDetail',
  placePrecision: 'precision',
  title: 'titleField',
  narrative: 'narrative',
  sourceType: 'sourceType',
  safetyNote: 'safetyNote',
  'vehicles.vehicleType': 'vehicleType',
  'vehicles.count': 'count',
  'vehicles.isEstimate': 'isEstimate',
  'vehicles.direction': 'direction',
  'vehicles.colours': 'colours',
  'vehicles.cargo': 'cargo',
  'goods.categoryId': 'category',
  'goods.description': 'description',
  'goods.direction': 'direction',
  'goods.quantity': 'quantity',
  'goods.unit': 'unit',
  'goods.value': 'value',
  'goods.currency': 'currency',
  'agencies.agencyId': 'agency',
  'agencies.otherName': 'otherName',
  'agencies.role': 'role',
  'agencies.note': 'note',
} as const satisfies Record<ReportFieldName, string>;
/** The editor's enum labels (review.enums.*); time zones and currencies are shown as their codes. */
const ENUM_GROUPS = { placePrecision: 'precisions', sourceType: 'sourceTypes', vehicleType: 'vehicleTypes', direction: 'directions', agencyRole: 'agencyRoles' } as const;
const ROW_LEGEND_KEYS = { vehicles: 'vehicleRow', goods: 'goodsRow', agencies: 'agencyRow' } as const satisfies Record<ReportRowSection, string>;
const ADD_KEYS = { vehicles: 'addVehicle', goods: 'addGoods', agencies: 'addAgency' } as const satisfies Record<ReportRowSection, string>;

/** The editor's words for the report form: no required marks, hints or empty-section lines. */
function useEditorTexts(): ReportFormTexts {
  const t = useTranslations('review');
  return {
    section: (section) => (section === 'safety' ? t('edit.safetyNote') : t(`edit.${section}`)),
    label: (field) => t(`edit.${LABEL_KEYS[field]}`),
    hint: () => null,
    option: (group, value) => (group === 'timeZone' || group === 'currency' ? value : t(`enums.${ENUM_GROUPS[group]}.${value}`)),
    otherAgency: t('edit.otherAgency'),
    choose: t('edit.choose'),
    required: null,
    rowLegend: (section, n) => t(`edit.${ROW_LEGEND_KEYS[section]}`, { n }),
    addRow: (section) => t(`edit.${ADD_KEYS[section]}`),
    removeRow: () => t('edit.removeRow'),
    noRows: () => null,
  };
}

/** The value at a dotted form path ('vehicles.0.count'), or undefined. */
function valueAtPath(values: ReportFormValues, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), values);
}

/** "If this local time happened twice": always asked on the editor's form (the first or the second). */
function TimeChoiceSelect({ path }: { path: 'observedFromChoice' | 'observedToChoice' }) {
  const t = useTranslations('review');
  return (
    <SelectField
      path={path}
      choices={[
        { value: 'earlier', label: t('edit.timeChoiceEarlier') },
        { value: 'later', label: t('edit.timeChoiceLater') },
      ]}
    />
  );
}

/**
 * The editor's correction form: every part of the report, with the field names of
 * lib/reports/form-data.ts so the server parses it exactly like the partner's form, and the
 * partner's sections (app/_components/report-form) in the editor's words. Rows are added and
 * removed with submit buttons (no JavaScript needed); nothing is saved until "Save changes".
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
  places: FormPlaceOption[];
  agencies: FormReferenceOption[];
  categories: FormReferenceOption[];
}) {
  const t = useTranslations();
  const texts = useEditorTexts();
  const messageText = useMessageText();
  const [state, formAction, isPending] = useActionState<EditReportFormState, FormData>(
    editAction,
    { ok: false, values: initialValues, attempt: 0 },
    // Without scripts the answer's page opens at the conflict, beside the save button.
    `/editor/reports/${reportId}/edit#edit-conflict`,
  );
  const conflictRef = useRef<HTMLDivElement>(null);
  useFocusOnAnswer(conflictRef, state.attempt, Boolean(state.conflict));
  // The agency checklist (lib/reports/form-values.ts); an editor corrects rows, so no blank ones ready.
  const v = layoutReportRows(state.values, agencies.map((agency) => agency.id), { vehicles: 0, goods: 0, agencies: 1 });
  const errors = state.fieldErrors ?? {};
  const allMessages = [...new Set([...(state.formErrors ?? []), ...Object.values(errors).flat()])];
  const kit: ReportFormKit = {
    texts,
    errorsAt: (path) => errors[path] ?? [],
    valueAt: (path) => valueAtPath(v, path),
    register: (path) => ({ name: path }),
    focusPath: null,
  };

  return (
    <ReportFormKitProvider kit={kit}>
      <form action={formAction} noValidate aria-label={t('review.edit.title', { id: reportId })}>
        {/* Enter in a text field presses the first submit button: make that "save". */}
        <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          {t('review.edit.save')}
        </button>
        {state.messageKey && !state.conflict ? (
          <div className="error-summary" role="alert" id="edit-error">
            <p>{messageText(state.messageKey)}</p>
            {allMessages.length > 0 ? (
              <ul>
                {allMessages
                  .filter((m) => m !== state.messageKey)
                  .map((m) => (
                    <li key={m}>{messageText(m)}</li>
                  ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <input type="hidden" name="reportId" value={reportId} />
        {/* After a conflict the form posts the fresh version: saving again applies the typed change over it. */}
        <input type="hidden" name="version" value={state.conflict?.version ?? version} />
        <input type="hidden" name="clientId" value={v.clientId} />

        {/* Every answer re-mounts the fields, so they show the values it returns. */}
        <Fragment key={state.attempt}>
          <WhenSection timeChoice={(field) => <TimeChoiceSelect path={field === 'observedFrom' ? 'observedFromChoice' : 'observedToChoice'} />} />
          <WhereSection places={places} />
          <WhatSection>
            <SafetyNoteField />
          </WhatSection>
          <RowSections
            rowKeys={{ vehicles: v.vehicles.map((_, i) => String(i)), goods: v.goods.map((_, i) => String(i)), agencies: v.agencies.map((_, i) => String(i)) }}
            categories={categories}
            agencies={agencies}
          />
        </Fragment>

        {state.conflict ? <EditConflictPanel ref={conflictRef} reportId={reportId} lines={state.conflict.lines} /> : null}
        <div className="row-actions">
          <button type="submit" name="intent" value="save" disabled={isPending}>
            {state.conflict ? t('review.conflict.saveMine') : t('review.edit.save')}
          </button>
          <a className="button secondary" href={`/editor/reports/${reportId}`}>
            {t('review.edit.cancel')}
          </a>
        </div>
      </form>
    </ReportFormKitProvider>
  );
}

/**
 * Another editor saved first (issue 19 item 7): shown beside the save button, focused, with the
 * diff from the report as it is now to what this editor typed. The typed values stay in the form;
 * saving again applies them over the fresh version, and the link drops them for the fresh one.
 */
function EditConflictPanel({ ref, reportId, lines }: { ref: React.Ref<HTMLDivElement>; reportId: number; lines: DiffLine[] }) {
  const t = useTranslations('review');
  return (
    <div className="error-summary conflict" role="alert" id="edit-conflict" tabIndex={-1} ref={ref} aria-labelledby="edit-conflict-title">
      <p id="edit-conflict-title">{t('conflict.edit')}</p>
      {lines.length === 0 ? (
        <p>{t('conflict.noDifference')}</p>
      ) : (
        <table>
          <caption>{t('conflict.diffCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conflict.field')}</th>
              <th scope="col">{t('conflict.now')}</th>
              <th scope="col">{t('conflict.yours')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.path}>
                <th scope="row">{line.label}</th>
                <td>{line.kind === 'added' ? '∅' : <del>{line.before || '∅'}</del>}</td>
                <td>{line.kind === 'removed' ? '∅' : <ins>{line.after || '∅'}</ins>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={`/editor/reports/${reportId}/edit`}>{t('conflict.discardMine')}</a>
      </p>
    </div>
  );
}
