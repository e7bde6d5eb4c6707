'use client';

import type { ReactNode } from 'react';
import { PLACE_PRECISIONS, SOURCE_TYPES, TIME_ZONES } from '@/lib/enums';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { SelectField, TextAreaField, TextField, type FieldChoice } from './fields';
import { useReportFormKit, type ReportFormTexts, type ReportOptionGroup } from './form-kit';

/**
 * The report form's top sections (when, where, what, and the safety note), shared by the
 * partner's form and the editor's correction form. What differs between the two comes in as
 * props and slots: the "which one?" question of a time that happened twice, the place search,
 * and where the safety note sits. Limits are lib/reports/limits.ts's, as the server's.
 */

/** A place as the form offers it (see lib/places/gazetteer.ts PlaceOption). */
export type FormPlaceOption = { id: string; name: string; parentName: string | null };
/** An agency or goods category, named in the reader's language. */
export type FormReferenceOption = { id: string; name: string };

/** Every value of an enum with its label in the form's words. */
export function enumChoices(texts: ReportFormTexts, group: ReportOptionGroup, values: readonly string[]): FieldChoice[] {
  return values.map((value) => ({ value, label: texts.option(group, value) }));
}

/** A section with its heading, labelled by it. */
export function FormSection({ headingId, heading, children }: { headingId: string; heading: string; children: ReactNode }) {
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      {children}
    </section>
  );
}

/**
 * When: from and to (local wall clock), each with its "which one?" question right under it (a
 * slot: `timeChoice(field)`, for a local time that happened twice), the zone and the note. With
 * `placeTimeZoneLabel` the zone's first choice is '' — "the place's time zone" (lib/reports/
 * form-values.ts PLACE_TIME_ZONE), labelled so; without it every choice is a zone.
 */
export function WhenSection({
  timeChoice,
  placeTimeZoneLabel,
}: {
  timeChoice: (field: 'observedFrom' | 'observedTo') => ReactNode;
  placeTimeZoneLabel?: string;
}) {
  const { texts } = useReportFormKit();
  return (
    <FormSection headingId="report-when" heading={texts.section('when')}>
      <div className="grid-2">
        <div>
          <TextField path="observedFrom" type="datetime-local" isRequired />
          {timeChoice('observedFrom')}
        </div>
        <div>
          <TextField path="observedTo" type="datetime-local" isRequired />
          {timeChoice('observedTo')}
        </div>
      </div>
      <SelectField
        path="timeZone"
        choices={enumChoices(texts, 'timeZone', TIME_ZONES)}
        isRequired
        withEmpty={placeTimeZoneLabel !== undefined}
        emptyLabel={placeTimeZoneLabel}
      />
      <TextAreaField path="timeNote" maxLength={REPORT_LIMITS.timeNoteMaxChars} rows={2} />
    </FormSection>
  );
}

/** Where: an optional place search (a slot), the place, its detail and precision. */
export function WhereSection({ places, placeSearch = null }: { places: readonly FormPlaceOption[]; placeSearch?: ReactNode }) {
  const { texts } = useReportFormKit();
  const choices = places.map((place) => ({ value: place.id, label: place.parentName ? `${place.name} — ${place.parentName}` : place.name }));
  return (
    <FormSection headingId="report-where" heading={texts.section('where')}>
      {placeSearch}
      <SelectField path="placeId" choices={choices} isRequired />
      <TextField path="placeDetail" maxLength={REPORT_LIMITS.placeDetailMaxChars} />
      <SelectField path="placePrecision" choices={enumChoices(texts, 'placePrecision', PLACE_PRECISIONS)} isRequired />
    </FormSection>
  );
}

/** What: title, narrative and source; `children` go at its end. */
export function WhatSection({ children = null }: { children?: ReactNode }) {
  const { texts } = useReportFormKit();
  return (
    <FormSection headingId="report-what" heading={texts.section('what')}>
      <TextField path="title" isRequired maxLength={REPORT_LIMITS.titleMaxChars} />
      <TextAreaField path="narrative" isRequired maxLength={REPORT_LIMITS.narrativeMaxChars} rows={8} />
      <SelectField path="sourceType" choices={enumChoices(texts, 'sourceType', SOURCE_TYPES)} isRequired />
      {children}
    </FormSection>
  );
}

/** The safety note to the editors (never published). */
export function SafetyNoteField() {
  return <TextAreaField path="safetyNote" maxLength={REPORT_LIMITS.safetyNoteMaxChars} rows={3} />;
}

/** The safety note in a section of its own, at the end of the partner's form. */
export function SafetySection() {
  const { texts } = useReportFormKit();
  return (
    <FormSection headingId="report-safety" heading={texts.section('safety')}>
      <SafetyNoteField />
    </FormSection>
  );
}
