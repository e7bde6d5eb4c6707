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
 * form and the editor's. Each row is a fieldset with its fields and a Remove button; Add and
 * Remove are submit buttons (name "intent", values of lib/reports/form-data.ts), so rows change
 * without scripts by a round trip, and in place when the form handles the click itself.
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

/** The fields of vehicle sighting `index`. */
export function VehicleFields({ index }: { index: number }) {
  const { texts } = useReportFormKit();
  const at = (field: string) => `vehicles.${index}.${field}`;
  return (
    <>
      <div className="grid-2">
        <SelectField path={at('vehicleType')} choices={enumChoices(texts, 'vehicleType', VEHICLE_TYPES)} isRequired />
        <TextField path={at('count')} isRequired inputMode="numeric" maxLength={12} />
      </div>
      <CheckboxField path={at('isEstimate')} />
      <SelectField path={at('direction')} choices={enumChoices(texts, 'direction', DIRECTIONS)} isRequired />
      <div className="grid-2">
        <TextField path={at('colours')} maxLength={REPORT_LIMITS.coloursMaxChars} />
        <TextField path={at('cargo')} maxLength={REPORT_LIMITS.cargoMaxChars} />
      </div>
    </>
  );
}

/** The fields of goods row `index`. */
export function GoodsFields({ index, categories }: { index: number; categories: readonly FormReferenceOption[] }) {
  const { texts } = useReportFormKit();
  const at = (field: string) => `goods.${index}.${field}`;
  return (
    <>
      <div className="grid-2">
        <SelectField path={at('categoryId')} choices={categories.map((c) => ({ value: c.id, label: c.name }))} isRequired />
        <SelectField path={at('direction')} choices={enumChoices(texts, 'direction', DIRECTIONS)} isRequired />
      </div>
      <TextField path={at('description')} maxLength={REPORT_LIMITS.goodsDescriptionMaxChars} />
      <div className="grid-2">
        <TextField path={at('quantity')} inputMode="decimal" maxLength={24} />
        <TextField path={at('unit')} maxLength={REPORT_LIMITS.unitMaxChars} />
        <TextField path={at('value')} inputMode="decimal" maxLength={24} />
        <SelectField path={at('currency')} choices={enumChoices(texts, 'currency', CURRENCIES)} />
      </div>
    </>
  );
}

/** The fields of agency row `index`; the agency list ends with "other" (named in the next field). */
export function AgencyFields({ index, agencies }: { index: number; agencies: readonly FormReferenceOption[] }) {
  const { texts } = useReportFormKit();
  const at = (field: string) => `agencies.${index}.${field}`;
  const choices = [...agencies.map((a) => ({ value: a.id, label: a.name })), { value: AGENCY_OTHER, label: texts.otherAgency }];
  return (
    <>
      <div className="grid-2">
        <SelectField path={at('agencyId')} choices={choices} isRequired />
        <TextField path={at('otherName')} maxLength={REPORT_LIMITS.otherAgencyNameMaxChars} />
      </div>
      <SelectField path={at('role')} choices={enumChoices(texts, 'agencyRole', AGENCY_ROLES)} isRequired />
      <TextAreaField path={at('note')} maxLength={REPORT_LIMITS.agencyNoteMaxChars} rows={2} />
    </>
  );
}

/** The three row sections in the form's order, each row with its fields. */
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
      <RowSection section="agencies" rowKeys={rowKeys.agencies} renderRow={(i) => <AgencyFields index={i} agencies={agencies} />} />
    </>
  );
}
