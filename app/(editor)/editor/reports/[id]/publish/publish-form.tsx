'use client';

import { useActionState } from 'react';
import { useTranslations } from 'next-intl';
import type { PlaceCoarsening, TimeCoarsening } from '@/lib/publishing/coarsen';
import type { PublishChoices } from '@/lib/publishing/snapshot';
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
}: {
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
}) {
  const t = useTranslations();
  const [state, formAction, isPending] = useActionState<PublishFormState, FormData>(publishFormAction, {
    status: 'idle',
    message: null,
    fieldErrors: {},
    values: defaults,
    preview: null,
  });
  const { fieldErrors } = state;
  const values: PublishFormValues = state.values;
  // Remount the inputs when the server answers, so defaultValue shows what it sent back.
  const formKey = JSON.stringify(values);
  const errorFor = (field: string) =>
    fieldErrors[field]?.length ? (
      <p className="field-error" id={`${field}-error`}>
        {fieldErrors[field].map((key) => t(key)).join(' ')}
      </p>
    ) : null;

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

        <fieldset>
          <legend>{t('publishing.form.textLegend')}</legend>
          <label htmlFor="publish-title">{t('publishing.form.title')}</label>
          <input
            id="publish-title"
            name="title"
            type="text"
            defaultValue={values.title}
            maxLength={PUBLICATION_LIMITS.titleMaxChars}
            aria-invalid={fieldErrors.title?.length ? true : undefined}
            aria-describedby={fieldErrors.title?.length ? 'title-error' : undefined}
          />
          {errorFor('title')}
          <label htmlFor="publish-summary">{t('publishing.form.summary')}</label>
          <p className="field-hint" id="publish-summary-hint">
            {t('publishing.form.summaryHint')}
          </p>
          <textarea
            id="publish-summary"
            name="summary"
            rows={10}
            defaultValue={values.summary}
            maxLength={PUBLICATION_LIMITS.summaryMaxChars}
            aria-invalid={fieldErrors.summary?.length ? true : undefined}
            aria-describedby={fieldErrors.summary?.length ? 'publish-summary-hint summary-error' : 'publish-summary-hint'}
          />
          {errorFor('summary')}
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
                  aria-describedby={`partner-caption-${photo.id}`}
                />
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
