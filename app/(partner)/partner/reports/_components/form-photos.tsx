'use client';

import { lazy, Suspense, useSyncExternalStore } from 'react';
import { useTranslations } from 'next-intl';
import { reportFormIntentValue } from '@/lib/reports/form-data';

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => undefined;

// Loaded once scripts run, outside the form page's first-load JavaScript (its budget: bench/budgets.ts).
// A chunk that cannot load (offline on a first visit) leaves the picker out rather than breaking the form.
const FormPhotosPicker = lazy(() => import('./form-photos-picker').catch(() => ({ default: () => null })));

/**
 * Photos on the report form (issue 18 item 6: photos can be added before the first save).
 * With scripts on: a picker whose photos go into the tab's photo queue at once and are uploaded
 * as soon as the report exists — the draft's first save (autosave, or `requestSave` when the
 * partner picks a photo first) creates it. With scripts off: a button that saves the draft and
 * opens its photos page (intent 'photos'), and a line saying so.
 * Picked photos are kept on the device too (encrypted: _device/photo-store.ts) and travel with the
 * report when Submit queues it in the outbox.
 * @param accountId the signed-in partner (whose device store keeps the photos).
 * @param formClientId the form's client id: photos picked before the first save are tagged with it.
 * @param reportId the report the form saves to (null until its first save creates it).
 * @param requestSave asks the form to save the draft now (so a new report gets its id).
 * @param onUnsentPhotos told how many of the form's photos are not on the server yet, at each change.
 */
export function FormPhotos(props: { accountId: number; formClientId: string; reportId: number | null; requestSave: () => void; onUnsentPhotos: (count: number) => void }) {
  const t = useTranslations();
  const isEnhanced = useSyncExternalStore(subscribeNothing, () => true, () => false);
  return (
    <section aria-labelledby="form-photos-title">
      <h2 id="form-photos-title">{t('photos.formPhotos.heading')}</h2>
      {isEnhanced ? (
        <Suspense fallback={null}>
          <FormPhotosPicker {...props} />
        </Suspense>
      ) : (
        <>
          <p className="field-hint" id="form-photos-hint">
            {t('photos.formPhotos.noScriptHint')}
          </p>
          <div className="row-actions">
            <button type="submit" name="intent" value={reportFormIntentValue({ kind: 'photos' })} className="secondary" aria-describedby="form-photos-hint">
              {t('photos.formPhotos.noScriptButton')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
