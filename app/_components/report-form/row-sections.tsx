'use client';

import type { ReactNode } from 'react';
import { AGENCY_ROLES, CURRENCIES, DIRECTIONS, VEHICLE_TYPES } from '@/lib/enums';
import { reportFormIntentValue } from '@/lib/reports/form-data';
import { AGENCY_OTHER, type ReportRowSection } from '@/lib/reports/form-values';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { CheckboxField, FieldError, SelectField, TextAreaField, TextField } from './fields';
import { fieldId, useReportFormKit } from './form-kit';
import { enumChoices, type FormReferenceOption } from './sections';

/**
 * The repeatable parts of a report (vehicle sightings, goods, agencies), shared by the partner's
 * form and the editor's. Vehicle and goods rows are fieldsets with their fields and a Remove
 * button, blank ones kept ready at the end (lib/reports/form-values.ts SPARE_ROWS); agencies are a
 * checklist of the managed list. Add and Remove are submit buttons (name "intent", values of
 * lib/reports/form-data.ts), so rows change without scripts by a round trip, and in place when the
 * form handles the click itself.
 */

/**
 * One row section: heading, the section's own messages (the row cap), a line when it has no rows,
 * the rows (`rowKeys`: one stable React key per row) and the Add button (id `add-<section>`, the
 * focus target after a row is removed).
 */
export function RowSection({ section, rowKeys, renderRow }: { section: ReportRowSection; rowKeys: readonly string[]; renderRow: (index: number) => ReactNode }) {
  const { texts, focusPath } = useReportFormKit();
  const id = fieldId(section);
  const noRows = rowKeys.length === 0 ? texts.noRows(section) : null;
  return (
    <section aria-labelledby={`${id}-heading`} id={id} tabIndex={-1}>
      <h2 id={`${id}-heading`}>{texts.section(section)}</h2>
      <FieldError path={section} />
      {noRows === null ? null : <p className="field-hint">{noRows}</p>}
      {rowKeys.map((key, index) => (
        <fieldset key={key}>
          <legend>{texts.rowLegend(section, index + 1)}</legend>
          {renderRow(index)}
          <div className="row-actions">
            <button type="submit" name="intent" value={reportFormIntentValue({ kind: 'remove-row', section, index })} className="secondary">
              {texts.removeRow(section, index + 1)}
            </button>
          </div>
        </fieldset>
      ))}
      <div className="row-actions">
        <button
          type="submit"
          name="intent"
          value={reportFormIntentValue({ kind: 'add-row', section })}
          id={`add-${section}`}
          className="secondary"
          autoFocus={focusPath === `add-${section}` ? true : undefined}
        >
          {texts.addRow(section)}
        </button>
      </div>
    </section>
  );
}

/** The fields of vehicle sighting `index`, two to a line even on a phone (short controls). */
export function VehicleFields({ index }: { index: number }) {
  const { texts } = useReportFormKit();
  const at = (field: string) => `vehicles.${index}.${field}`;
  return (
    <div className="row-grid">
      <SelectField path={at('vehicleType')} choices={enumChoices(texts, 'vehicleType', VEHICLE_TYPES)} isRequired />
      <TextField path={at('count')} isRequired inputMode="numeric" maxLength={12} />
      <SelectField path={at('direction')} choices={enumChoices(texts, 'direction', DIRECTIONS)} isRequired />
      <div className="row-grid-check">
        <CheckboxField path={at('isEstimate')} />
      </div>
      <TextField path={at('colours')} maxLength={REPORT_LIMITS.coloursMaxChars} />
      <TextField path={at('cargo')} maxLength={REPORT_LIMITS.cargoMaxChars} />
    </div>
  );
}

/** The fields of goods row `index`, two to a line even on a phone. */
export function GoodsFields({ index, categories }: { index: number; categories: readonly FormReferenceOption[] }) {
  const { texts } = useReportFormKit();
  const at = (field: string) => `goods.${index}.${field}`;
  return (
    <div className="row-grid">
      <SelectField path={at('categoryId')} choices={categories.map((c) => ({ value: c.id, label: c.name }))} isRequired />
      <SelectField path={at('direction')} choices={enumChoices(texts, 'direction', DIRECTIONS)} isRequired />
      <div className="row-grid-wide">
        <TextField path={at('description')} maxLength={REPORT_LIMITS.goodsDescriptionMaxChars} />
      </div>
      <TextField path={at('quantity')} inputMode="decimal" maxLength={24} />
      <TextField path={at('unit')} maxLength={REPORT_LIMITS.unitMaxChars} />
      <TextField path={at('value')} inputMode="decimal" maxLength={24} />
      <SelectField path={at('currency')} choices={enumChoices(texts, 'currency', CURRENCIES)} />
    </div>
  );
}

/**
 * What line `index` of the agency checklist stands for: the managed agency at that place in the
 * list, else the agency its box posted (`current`: a second role, an agency no longer listed, named
 * by its id) or "other". `name` is the line's label, which the error summary names it by too.
 */
export function agencyLineOf(index: number, agencies: readonly FormReferenceOption[], current: string, otherAgency: string): { value: string; name: string } {
  const listed = agencies[index];
  const value = listed ? listed.id : current === '' ? AGENCY_OTHER : current;
  const name = value === AGENCY_OTHER ? otherAgency : (agencies.find((agency) => agency.id === value)?.name ?? value);
  return { value, name };
}

/**
 * One line of the agency checklist: the agency's box (posting `agencies.N.agencyId` = its id, or
 * 'other', only when ticked) and, while it is ticked, its role, its note and — for "other" only —
 * the other agency's name. Lines past the managed list hold a second role of a listed agency, an
 * agency no longer listed (named by its id), or "other" (lib/reports/form-values.ts layoutReportRows).
 * The fields of an unticked line are hidden by CSS (works without scripts) and belong to no agency.
 */
export function AgencyLine({ index, agencies }: { index: number; agencies: readonly FormReferenceOption[] }) {
  const kit = useReportFormKit();
  const { texts } = kit;
  const at = (field: string) => `agencies.${index}.${field}`;
  const current = String(kit.valueAt(at('agencyId')) ?? '');
  const { value, name } = agencyLineOf(index, agencies, current, texts.otherAgency);
  const boxPath = at('agencyId');
  const boxErrors = kit.errorsAt(boxPath);
  return (
    <li className="agency-line" role="group" aria-label={name}>
      <label className="agency-box">
        <input
          type="checkbox"
          id={fieldId(boxPath)}
          name={boxPath}
          value={value}
          defaultChecked={current === value}
          onChange={(event) => kit.setValue?.(boxPath, event.target.checked ? value : '')}
          aria-invalid={boxErrors.length > 0 ? true : undefined}
          aria-describedby={boxErrors.length > 0 ? `${fieldId(boxPath)}-error` : undefined}
          autoFocus={kit.focusPath === boxPath ? true : undefined}
        />{' '}
        {name}
      </label>
      <FieldError path={boxPath} />
      <div className="agency-details">
        {value === AGENCY_OTHER ? <TextField path={at('otherName')} isRequired maxLength={REPORT_LIMITS.otherAgencyNameMaxChars} /> : null}
        <SelectField path={at('role')} choices={enumChoices(texts, 'agencyRole', AGENCY_ROLES)} isRequired />
        <TextAreaField path={at('note')} maxLength={REPORT_LIMITS.agencyNoteMaxChars} rows={1} />
      </div>
    </li>
  );
}

/**
 * The agencies as a checklist of the managed list (one line each, `lineCount` lines in all, laid
 * out by layoutReportRows) with a role per ticked agency, and a button for one more "other" line.
 */
export function AgencyChecklist({ lineCount, agencies }: { lineCount: number; agencies: readonly FormReferenceOption[] }) {
  const { texts, focusPath } = useReportFormKit();
  const id = fieldId('agencies');
  return (
    <section aria-labelledby={`${id}-heading`} id={id} tabIndex={-1}>
      <h2 id={`${id}-heading`}>{texts.section('agencies')}</h2>
      <FieldError path="agencies" />
      <ul className="agency-checklist plain-list">
        {Array.from({ length: lineCount }, (_, index) => (
          <AgencyLine key={index} index={index} agencies={agencies} />
        ))}
      </ul>
      <div className="row-actions">
        <button
          type="submit"
          name="intent"
          value={reportFormIntentValue({ kind: 'add-row', section: 'agencies' })}
          id="add-agencies"
          className="secondary"
          autoFocus={focusPath === 'add-agencies' ? true : undefined}
        >
          {texts.addRow('agencies')}
        </button>
      </div>
    </section>
  );
}

/** The row sections in the form's order: vehicle and goods rows, then the agency checklist. */
export function RowSections({
  rowKeys,
  categories,
  agencies,
}: {
  rowKeys: Record<ReportRowSection, readonly string[]>;
  categories: readonly FormReferenceOption[];
  agencies: readonly FormReferenceOption[];
}) {
  return (
    <>
      <RowSection section="vehicles" rowKeys={rowKeys.vehicles} renderRow={(i) => <VehicleFields index={i} />} />
      <RowSection section="goods" rowKeys={rowKeys.goods} renderRow={(i) => <GoodsFields index={i} categories={categories} />} />
      <AgencyChecklist lineCount={rowKeys.agencies.length} agencies={agencies} />
    </>
  );
}
