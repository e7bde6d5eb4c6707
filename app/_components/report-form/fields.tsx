'use client';

import type { ReactNode } from 'react';
import { fieldId, fieldNameOf, useMessageText, useReportFormKit, type ReportFormKit } from './form-kit';

/**
 * The report form's one field component, in four kinds (text, multi-line text, select, checkbox):
 * a label (with a required mark where the form shows them), an optional hint, the control and the
 * messages beside it, linked by id and aria-describedby. The control is uncontrolled (a default
 * value) and named by its form path, so the same markup posts without scripts; the form's kit
 * adds react-hook-form's wiring when scripts run.
 */

/** One choice of a select. */
export type FieldChoice = { value: string; label: string };

type FieldProps = {
  /** Dotted form path, e.g. 'title' or 'vehicles.0.count'; also the control's name. */
  path: string;
  /** Marked as needed to submit (where the form marks fields). */
  isRequired?: boolean;
};

/** The messages beside the field at `path` (nothing when there are none). */
export function FieldError({ path }: { path: string }) {
  const { errorsAt } = useReportFormKit();
  const text = useMessageText();
  const errors = errorsAt(path);
  if (errors.length === 0) return null;
  return (
    <p className="field-error" id={`${fieldId(path)}-error`}>
      {errors.map(text).join(' ')}
    </p>
  );
}

function FieldLabel({ path, isRequired = false }: FieldProps) {
  const { texts } = useReportFormKit();
  return (
    <label htmlFor={fieldId(path)}>
      {texts.label(fieldNameOf(path))}
      {isRequired && texts.required !== null ? (
        <>
          <span aria-hidden="true"> *</span>
          <span className="visually-hidden"> {texts.required}</span>
        </>
      ) : null}
    </label>
  );
}

function FieldHint({ path, hint }: { path: string; hint: string | null }) {
  if (hint === null) return null;
  return (
    <p className="field-hint" id={`${fieldId(path)}-hint`}>
      {hint}
    </p>
  );
}

/** Props wiring one control: id, registration, error and hint links, focus on arrival. */
function controlProps(kit: ReportFormKit, path: string, hasHint: boolean) {
  const id = fieldId(path);
  const hasErrors = kit.errorsAt(path).length > 0;
  const describedBy = [hasHint ? `${id}-hint` : null, hasErrors ? `${id}-error` : null].filter(Boolean).join(' ');
  return {
    id,
    ...kit.register(path),
    'aria-invalid': hasErrors ? true : undefined,
    'aria-describedby': describedBy === '' ? undefined : describedBy,
    autoFocus: kit.focusPath === path ? true : undefined,
  };
}

const textOf = (kit: ReportFormKit, path: string) => String(kit.valueAt(path) ?? '');

/** A field's frame: label, hint, the control, messages. */
function FieldFrame({ path, isRequired, hint, children }: FieldProps & { hint: string | null; children: ReactNode }) {
  return (
    <div>
      <FieldLabel path={path} isRequired={isRequired} />
      <FieldHint path={path} hint={hint} />
      {children}
      <FieldError path={path} />
    </div>
  );
}

/** A one-line input (text, datetime-local, …). */
export function TextField({ path, isRequired, type = 'text', inputMode, maxLength }: FieldProps & { type?: string; inputMode?: 'numeric' | 'decimal'; maxLength?: number }) {
  const kit = useReportFormKit();
  const hint = kit.texts.hint(fieldNameOf(path));
  return (
    <FieldFrame path={path} isRequired={isRequired} hint={hint}>
      <input type={type} inputMode={inputMode} maxLength={maxLength} defaultValue={textOf(kit, path)} {...controlProps(kit, path, hint !== null)} />
    </FieldFrame>
  );
}

/** A multi-line text. */
export function TextAreaField({ path, isRequired, maxLength, rows = 4 }: FieldProps & { maxLength: number; rows?: number }) {
  const kit = useReportFormKit();
  const hint = kit.texts.hint(fieldNameOf(path));
  return (
    <FieldFrame path={path} isRequired={isRequired} hint={hint}>
      <textarea rows={rows} maxLength={maxLength} defaultValue={textOf(kit, path)} {...controlProps(kit, path, hint !== null)} />
    </FieldFrame>
  );
}

/**
 * A select; its first choice is empty ('') unless `withEmpty` is false, labelled "Choose…" or
 * `emptyLabel` (when '' means something, such as "the place's time zone"). Never a hint.
 */
export function SelectField({
  path,
  isRequired,
  choices,
  withEmpty = true,
  emptyLabel,
}: FieldProps & { choices: readonly FieldChoice[]; withEmpty?: boolean; emptyLabel?: string }) {
  const kit = useReportFormKit();
  return (
    <FieldFrame path={path} isRequired={isRequired} hint={null}>
      <select defaultValue={textOf(kit, path)} {...controlProps(kit, path, false)}>
        {withEmpty ? <option value="">{emptyLabel ?? kit.texts.choose}</option> : null}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A checkbox inside its label (posts "on" when ticked). */
export function CheckboxField({ path }: { path: string }) {
  const kit = useReportFormKit();
  return (
    <label>
      <input type="checkbox" defaultChecked={Boolean(kit.valueAt(path))} {...controlProps(kit, path, false)} /> {kit.texts.label(fieldNameOf(path))}
    </label>
  );
}
