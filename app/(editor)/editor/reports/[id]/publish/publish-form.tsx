'use client';

import { QueueField } from '../../../_components/queue-field';
import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { PlaceCoarsening, TimeCoarsening } from '@/lib/publishing/coarsen';
import type { PublishChoices } from '@/lib/publishing/snapshot';
import type { LeakFlag } from '@/lib/publishing/leak-check';
import { PUBLISHED_ROW_TEXTS, rowTextField } from '@/lib/publishing/row-texts';
import { PUBLICATION_LIMITS } from '@/lib/publishing/limits';
import { photoCaptionField, type PublishFormValues } from '@/lib/publishing/publish-choices';
import { PHOTO_CAPTION_MAX_CHARS } from '@/lib/photos/captions';
import { PhotoThumbnail } from '@/app/_components/photo-thumbnail';
import { PublicReportView } from '@/app/_components/public-report-view';
import { publishFormAction, type PublishFormState } from './actions';

/** A report row as the form offers it: its position and a one-line description for the editor. */
export type RowOption = { position: number; label: string };

/** A photo of the report as the form offers it: id, displayed size and the partner's caption. */
export type PhotoOption = { id: number; width: number; height: number; partnerCaption: string };

/**
 * The publish form: public title and summary, rows that go public, place and time coarsening,
 * grading shown or not; "Preview" shows the public report component with exactly the snapshot
 * that "Publish" would store. A plain HTML form posted to a Server Action, so it works without
 * JavaScript (the page re-renders with the preview or the refusal).
 */
export function PublishForm({
  reportId,
  version,
  defaults,
  vehicles,
  goods,
  agencies,
  placeOptions,
  timeOptions,
  grade,
  isRepublish,
  photos = [],
  leaks = [],
  queue,
}: {
  /** The queue the review page was opened from (QueueField): after publishing, its next report is offered. */
  queue?: string;
  reportId: number;
  version: number;
  defaults: PublishChoices;
  vehicles: RowOption[];
  goods: RowOption[];
  agencies: RowOption[];
  placeOptions: { choice: PlaceCoarsening; label: string }[];
  timeOptions: { choice: TimeCoarsening; label: string }[];
  /** e.g. 'B2', or null when the report is not graded. */
  grade: string | null;
  isRepublish: boolean;
  /** The report's photos (none ticked unless already public). */
  photos?: PhotoOption[];
  /** Leak flags of the text the form starts from (lib/publishing/leak-check.ts). */
  leaks?: LeakFlag[];
}) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<PublishFormState, FormData>(publishFormAction, {
    status: 'idle',
    message: null,
    fieldErrors: {},
    values: defaults,
    preview: null,
    leaks,
  });
  const { fieldErrors } = state;
  const values: PublishFormValues = state.values;
  const confirmed = new Set(values.confirmedLeaks ?? []);
  // Remount the inputs when the server answers, so defaultValue shows what it sent back.
  const formKey = JSON.stringify(values);
  const errorFor = (field: string) =>
    fieldErrors[field]?.length ? (
      <p className="field-error" id={`${field}-error`}>
        {fieldErrors[field].map((key) => t(key)).join(' ')}
      </p>
    ) : null;

  const fieldId = (field: string) => `leaks-${field}`;
  const describedBy = (field: string, ...others: (string | false | undefined)[]) =>
    [...others, fieldErrors[field]?.length ? `${field}-error` : false, state.leaks.some((f) => f.field === field) && fieldId(field)]
      .filter(Boolean)
      .join(' ') || undefined;
  // Each flag next to its field, with a checkbox that confirms it (checked again by the server).
  const leakFlags = (field: string, part?: string) => {
    const flags = state.leaks.filter((flag) => flag.field === field);
    if (flags.length === 0) return null;
    return (
      <div className="notice warn" id={fieldId(field)}>
        <p>{part ? `${part}: ${t('publishing.leaks.heading')} ${t('publishing.leaks.rowHint')}` : t('publishing.leaks.heading')}</p>
        <ul style={{ listStyle: 'none', padding: 0 }}>
          {flags.map((flag) => {
            const id = `confirm-${flag.key.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)}`)}`;
            return (
              <li key={flag.key} style={{ marginBottom: '0.5rem' }}>
                <p style={{ margin: 0 }}>
                  {flag.kind === 'place'
                    ? t('publishing.leaks.place', {
                        found: flag.found,
                        name: `${flag.place.nameEn} / ${flag.place.nameKo}`,
                        level: t(`publishing.leaks.levels.${flag.place.level}`),
                      })
                    : t('publishing.leaks.time', { found: flag.found, precision: flag.precision })}
                  {flag.count > 1 ? ` ${t('publishing.leaks.count', { count: flag.count })}` : null}
                </p>
                <p className="field-hint" style={{ margin: 0 }}>
                  {flag.context.before}
                  <mark>{flag.context.match}</mark>
                  {flag.context.after}
                </p>
                <input type="checkbox" id={id} name="confirmLeak" value={flag.key} defaultChecked={confirmed.has(flag.key)} />{' '}
                <label htmlFor={id} style={{ display: 'inline', fontWeight: 'normal' }}>
                  {t('publishing.leaks.confirm', { found: flag.found })}
                </label>
              </li>
            );
          })}
        </ul>
      </div>
    );
  };

  const rowGroup = (name: 'vehicleRows' | 'goodsRows' | 'agencyRows', legend: string, rows: RowOption[], picked: number[]) => (
    <fieldset aria-describedby={fieldErrors[name]?.length ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {errorFor(name)}
      {rows.length === 0 ? (
        <p className="field-hint">{t('publishing.form.noRows')}</p>
      ) : (
        rows.map((row) => (
          <div key={row.position}>
            <input
              type="checkbox"
              id={`${name}-${row.position}`}
              name={name}
              value={row.position}
              defaultChecked={picked.includes(row.position)}
            />{' '}
            <label htmlFor={`${name}-${row.position}`} style={{ display: 'inline', fontWeight: 'normal' }}>
              {row.label}
            </label>
            {/* The row's published text, checked like the title (leak-check.ts publicTextFields). */}
            {PUBLISHED_ROW_TEXTS[name].map((part) => {
              const field = rowTextField(name, row.position, part);
              return (
                <div key={part}>
                  {errorFor(field)}
                  {leakFlags(field, t(`publishing.leaks.rowParts.${part}`))}
                </div>
              );
            })}
          </div>
        ))
      )}
    </fieldset>
  );

  return (
    <>
      {state.message ? (
        <div className="error-summary" role="alert" aria-live="assertive" id="publish-error">
          <p>{t(state.message)}</p>
          {Object.entries(fieldErrors).length > 0 && state.message === 'publishing.errors.invalid' ? (
            <ul>
              {Object.entries(fieldErrors).map(([field, keys]) => (
                <li key={field}>{keys.map((key) => t(key)).join(' ')}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {state.preview ? (
        <section aria-labelledby="preview-heading" className="publish-preview">
          <h2 id="preview-heading">{t('publishing.form.previewHeading')}</h2>
          <p className="notice">{t('publishing.form.previewHint')}</p>
          <div style={{ border: '2px dashed var(--line)', padding: '0.5rem 1rem' }}>
            <PublicReportView snapshot={state.preview} publishedAt={null} headingLevel={2} photoLinks="internal" />
          </div>
        </section>
      ) : null}

      <form action={formAction} key={formKey} noValidate>
        <input type="hidden" name="reportId" value={reportId} />
        <input type="hidden" name="version" value={version} />
        <QueueField value={queue} />

        <fieldset>
          <legend>{t('publishing.form.textLegend')}</legend>
          <p className="field-hint" id="publish-text-hint">
            {t('publishing.form.textHint')}
          </p>
          <p className="field-hint" id="publish-summary-hint">
            {t('publishing.form.summaryHint')}
          </p>
          {(['en', 'ko'] as const).map((language) => {
            const suffix = language === 'en' ? 'En' : 'Ko';
            const title = `title${suffix}`;
            const summary = `summary${suffix}`;
            return (
              <div key={language}>
                <label htmlFor={`publish-${title}`}>{t(`publishing.form.${title}`)}</label>
                <input
                  id={`publish-${title}`}
                  name={title}
                  lang={language}
                  type="text"
                  defaultValue={values.title[language]}
                  maxLength={PUBLICATION_LIMITS.titleMaxChars}
                  aria-invalid={fieldErrors[title]?.length ? true : undefined}
                  aria-describedby={describedBy(title, 'publish-text-hint')}
                />
                {errorFor(title)}
                {leakFlags(title)}
                <label htmlFor={`publish-${summary}`}>{t(`publishing.form.${summary}`)}</label>
                <textarea
                  id={`publish-${summary}`}
                  name={summary}
                  lang={language}
                  rows={language === 'en' ? 10 : 8}
                  defaultValue={values.summary[language]}
                  maxLength={PUBLICATION_LIMITS.summaryMaxChars}
                  aria-invalid={fieldErrors[summary]?.length ? true : undefined}
                  aria-describedby={describedBy(summary, 'publish-summary-hint')}
                />
                {errorFor(summary)}
                {leakFlags(summary)}
              </div>
            );
          })}
        </fieldset>

        <fieldset>
          <legend>{t('publishing.form.rowsLegend')}</legend>
          <p className="field-hint">{t('publishing.form.rowsHint')}</p>
          {isRepublish ? <p className="notice warn">{t('publishing.form.rowsRepublishHint')}</p> : null}
          {rowGroup('vehicleRows', t('publishing.form.vehicles'), vehicles, values.vehicleRows)}
          {rowGroup('goodsRows', t('publishing.form.goods'), goods, values.goodsRows)}
          {rowGroup('agencyRows', t('publishing.form.agencies'), agencies, values.agencyRows)}
        </fieldset>

        <fieldset aria-describedby={fieldErrors.photos?.length ? 'photos-error' : 'photos-hint'}>
          <legend>{t('publishing.form.photosLegend')}</legend>
          <p className="field-hint" id="photos-hint">
            {t('publishing.form.photosHint')}
          </p>
          {errorFor('photos')}
          {photos.length === 0 ? <p className="field-hint">{t('publishing.form.noPhotos')}</p> : null}
          {photos.map((photo, index) => {
            const number = index + 1;
            const picked = values.photos?.find((p) => p.id === photo.id);
            const caption = values.photoCaptions?.[photo.id] ?? picked?.caption ?? photo.partnerCaption;
            return (
              <div key={photo.id} style={{ borderTop: '1px solid var(--line)', padding: '0.5rem 0' }}>
                <PhotoThumbnail
                  photoId={photo.id}
                  width={photo.width}
                  height={photo.height}
                  alt={photo.partnerCaption || t('publishing.form.photoAlt', { number })}
                  box={160}
                />
                <div>
                  <input type="checkbox" id={`photos-${photo.id}`} name="photos" value={photo.id} defaultChecked={picked !== undefined} />{' '}
                  <label htmlFor={`photos-${photo.id}`} style={{ display: 'inline' }}>
                    {t('publishing.form.publishPhoto', { number })}
                  </label>
                </div>
                <p className="field-hint" id={`partner-caption-${photo.id}`}>
                  {photo.partnerCaption
                    ? t('publishing.form.partnerCaption', { caption: photo.partnerCaption })
                    : t('publishing.form.noPartnerCaption')}
                </p>
                <label htmlFor={`photo-caption-${photo.id}`}>{t('publishing.form.photoCaption', { number })}</label>
                <input
                  id={`photo-caption-${photo.id}`}
                  name={photoCaptionField(photo.id)}
                  type="text"
                  defaultValue={caption}
                  maxLength={PHOTO_CAPTION_MAX_CHARS}
                  aria-invalid={fieldErrors[photoCaptionField(photo.id)]?.length ? true : undefined}
                  aria-describedby={describedBy(photoCaptionField(photo.id), `partner-caption-${photo.id}`)}
                />
                {errorFor(photoCaptionField(photo.id))}
                {leakFlags(photoCaptionField(photo.id))}
              </div>
            );
          })}
        </fieldset>

        <fieldset>
          <legend>{t('publishing.form.coarseningLegend')}</legend>
          <label htmlFor="publish-place">{t('publishing.form.place')}</label>
          <select id="publish-place" name="placeCoarsening" defaultValue={values.placeCoarsening}>
            {placeOptions.map((option) => (
              <option key={option.choice} value={option.choice}>
                {option.label}
              </option>
            ))}
          </select>
          {errorFor('placeCoarsening')}
          <label htmlFor="publish-time">{t('publishing.form.time')}</label>
          <select id="publish-time" name="timeCoarsening" defaultValue={values.timeCoarsening}>
            {timeOptions.map((option) => (
              <option key={option.choice} value={option.choice}>
                {option.label}
              </option>
            ))}
          </select>
          {errorFor('timeCoarsening')}
          {grade ? (
            <div style={{ marginTop: '0.75rem' }}>
              <input type="checkbox" id="publish-grading" name="showGrading" defaultChecked={values.showGrading} />{' '}
              <label htmlFor="publish-grading" style={{ display: 'inline' }}>
                {t('publishing.form.showGrading', { grade })}
              </label>
            </div>
          ) : (
            <p className="field-hint">{t('publishing.form.notGraded')}</p>
          )}
        </fieldset>

        <div className="row-actions">
          <button type="submit" name="intent" value="preview" className="secondary" disabled={isPending}>
            {t('publishing.form.preview')}
          </button>
          <button type="submit" name="intent" value="publish" disabled={isPending}>
            {isRepublish ? t('publishing.form.republish') : t('publishing.form.publish')}
          </button>
        </div>
      </form>

    </>
  );
}
