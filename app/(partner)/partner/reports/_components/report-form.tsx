'use client';

import { startTransition, useActionState, useCallback, useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { useFieldArray, useForm, useWatch, type FieldPath } from 'react-hook-form';
import { fieldId, ReportFormKitProvider, useMessageText, type ReportFormKit } from '@/app/_components/report-form/form-kit';
import { RowSections } from '@/app/_components/report-form/row-sections';
import { SafetySection, WhatSection, WhenSection, WhereSection, type FormReferenceOption } from '@/app/_components/report-form/sections';
import { LOCALES } from '@/lib/i18n/config';
import { parseReportFormIntent, reportFormIntentValue, withoutEmptyRows } from '@/lib/reports/form-data';
import { emptyAgencyRow, emptyGoodsRow, emptyRowIndexes, emptyVehicleRow, layoutReportRows, REPORT_ROW_SECTIONS, withPlaceTimeZone, type ReportFormValues } from '@/lib/reports/form-values';
import { queueReport, requestOutboxSend } from '../../_device/outbox';
import { reportFormAction } from '../actions';
import { ErrorSummary } from './error-summary';
import { FormPhotos } from './form-photos';
import { clientErrorsAt, flattenErrors, pushServerErrors } from './form-errors';
import { initialReportFormState, type ReportFormState } from './form-state';
import { stableJson } from './local-copy';
import { newClientId } from './new-client-id';
import { FiledNotice, LostSubmitNotice } from './report-fate-notice';
import { loadValidation, resolveLazily, type Validation } from './lazy-validation';
import { usePartnerTexts } from './partner-texts';
import { PlaceSearch, visiblePlaces, type SearchablePlaceOption } from './place-search';
import { QueuedReportNotice, useQueuedReport } from './queued-report';
import { describeSaveStatus, statusOfAnswer } from './save-status';
import { TimeChoice } from './time-choice';
import { useAutosave } from './use-autosave';
import { useReportFate, type ReportFateState } from './use-report-fate';
import { useSpareRows } from './use-spare-rows';
import { KeptOwnerField } from '../../_device/kept-owner';

type Props = {
  /** The signed-in partner: the browser's copies are kept per account. */
  accountId: number;
  initialValues: ReportFormValues;
  /** The report being edited; null for a new report (created by the first save). */
  reportId: number | null;
  places: SearchablePlaceOption[];
  agencies: FormReferenceOption[];
  categories: FormReferenceOption[];
  /**
   * Scripts off, a save that created the report redirected to its edit page (actions.ts 'save'):
   * the answer that save gave (its status and field messages), shown as if the form had just
   * answered it. Null or absent otherwise.
   */
  savedAnswer?: Pick<ReportFormState, 'status' | 'fieldErrors'> | null;
};

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => undefined;

/** Fields whose messages depend on another field's value (re-checked when it changes). */
const VALIDATION_DEPS: Partial<Record<string, FieldPath<ReportFormValues>[]>> = {
  observedFrom: ['observedTo'],
  observedTo: ['observedFrom'],
  timeZone: ['observedFrom', 'observedTo'],
};

const TOO_MANY_ROWS = { vehicles: 'tooManyVehicles', goods: 'tooManyGoods', agencies: 'tooManyAgencies' } as const;

/** True for the rejection of a Server Action call that redirected (Next navigates on its own). */
function isRedirect(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'digest' in error && String(error.digest).startsWith('NEXT_REDIRECT');
}

/**
 * The partner's report form. Plain HTML first: a <form> posting to a Server Action through
 * useActionState, every field named as lib/reports/form-data.ts reads it, row buttons and the
 * place search as submit buttons, so it all works with scripts off. With scripts on,
 * react-hook-form enhances the same markup: instant validation with the submit schema, rows added
 * and removed in place, the place list filtered as one types, autosave (use-autosave.ts) to the
 * server, and a copy in the browser while a change is not saved there (offline, session expired).
 * The sections and fields are the shared kit's (app/_components/report-form), in the partner's words.
 *
 * Submit with scripts on calls the action itself (not through useActionState), so that a lost
 * answer — the connection dropped, a server error, perhaps after the report was committed — is
 * told apart from a refusal: the values stay in the form and on the device, and the form asks the
 * server by client id what became of the report (use-report-fate.ts) and says so. The client id
 * posted is always the form's own (a copy restored from the device brings its own).
 */
export function ReportForm({ accountId, initialValues: givenValues, reportId: initialReportId, places, agencies, categories, savedAnswer = null }: Props) {
  // Rows as the form lays them out: the agency checklist, blank rows ready (lib/reports/form-values.ts).
  const agencyIds = agencies.map((agency) => agency.id);
  const [initialValues] = useState(() => layoutReportRows(givenValues, agencyIds));
  const t = useTranslations();
  const locale = useLocale();
  const messageText = useMessageText();
  const texts = usePartnerTexts();
  const [actionState, formAction, isPending] = useActionState<ReportFormState, FormData>(reportFormAction, {
    ...initialReportFormState(initialValues, initialReportId),
    ...savedAnswer,
  });
  // Scripts on, Submit's answer comes from calling the action directly (see above); scripts off,
  // every answer is useActionState's.
  const [directAnswer, setDirectAnswer] = useState<ReportFormState | null>(null);
  const state = directAnswer ?? actionState;
  const form = useForm<ReportFormValues>({
    defaultValues: layoutReportRows(state.values, agencyIds),
    resolver: resolveLazily,
    // Errors appear as a value changes, never on blur: a message shown on blur moves the page
    // between mousedown and mouseup, and the click the partner aimed at lands elsewhere.
    mode: 'onChange',
    criteriaMode: 'all',
    shouldFocusError: false,
  });
  const rowArrays = {
    vehicles: useFieldArray({ control: form.control, name: 'vehicles' }),
    goods: useFieldArray({ control: form.control, name: 'goods' }),
    agencies: useFieldArray({ control: form.control, name: 'agencies' }),
  };
  const watchedPlaceId = useWatch({ control: form.control, name: 'placeId' });
  // The hidden client id follows the form's value (a restored copy brings its own): React would
  // otherwise put the page's id back into the hidden input at every render.
  const watchedClientId = useWatch({ control: form.control, name: 'clientId' });
  // False while rendering on the server and hydrating, true once scripts run in the browser.
  const isEnhanced = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const reportFate = useReportFate({
    onSettled: (fate) => {
      setIsSubmitting(false);
      // Held since the answer was lost: saves resume only when the server does not have it filed.
      if (fate.kind === 'notReceived') autosave.releaseHold();
      else if (fate.kind === 'submitted') autosave.forgetCopy(form.getValues('clientId'));
      else if (fate.kind === 'filed') {
        autosave.holdFiled();
        autosave.keepCopy(form.getValues());
      }
    },
  });
  const autosave = useAutosave({ form, accountId, initialValues, initialReportId, onFiled: (values) => reportFate.check(values) });
  // A Submit without a connection: the report waits in the device's outbox (_device/outbox.ts).
  const queued = useQueuedReport({
    accountId,
    onSettled: (record) => {
      setIsSubmitting(false);
      if (record.state === 'sent') return;
      // Refused: the text is the form's again (and kept on the device); the reason is shown.
      autosave.endSubmit();
      autosave.keepCopy(form.getValues());
      if (record.refused?.messageKey === 'report.outcome.alreadyFiled') reportFate.check(form.getValues());
    },
    // Shown and removed by another tab: ask the server what became of it.
    onGone: () => reportFate.check(form.getValues()),
  });
  // How many of the form's photos are not on the server yet (told by the photo picker).
  const unsentPhotos = useRef(0);
  const onUnsentPhotos = useCallback((count: number) => {
    unsentPhotos.current = count;
  }, []);
  const [isNewFromText, setIsNewFromText] = useState(false);
  useSpareRows(form, rowArrays);
  const [showSummary, setShowSummary] = useState(false);
  const [summaryFocusRequest, setSummaryFocusRequest] = useState(0);
  const [placeQuery, setPlaceQuery] = useState(state.placeQuery);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [answeredSeq, setAnsweredSeq] = useState(state.seq);

  // An answer from the form's Server Action (submit refused, or a save through the button): the
  // form's own state follows it at once (during render), react-hook-form's errors in an effect.
  if (state.seq !== answeredSeq) {
    setAnsweredSeq(state.seq);
    setIsSubmitting(false);
    const hasErrors = state.formErrors.length > 0 || Object.keys(state.fieldErrors).length > 0;
    setShowSummary(hasErrors);
    if (hasErrors) setSummaryFocusRequest((n) => n + 1);
    if (state.status === 'saved') autosave.setStatus({ kind: 'saved', at: state.savedAt });
    else if (state.status === 'savedWithProblems') autosave.setStatus({ kind: 'savedWithProblems' });
    else if (state.status === 'invalid') autosave.setStatus({ kind: 'invalid' });
    else if (state.status === 'refused' && state.message) autosave.setStatus({ kind: 'refused', message: state.message });
  }
  useEffect(() => {
    if (state.seq === 0) return;
    autosave.endSubmit();
    if (state.filed) {
      // Filed already with other text: nothing was sent; the text stays here and on the device.
      autosave.holdFiled();
      autosave.keepCopy(form.getValues());
      reportFate.show({ kind: 'filed', filed: state.filed });
    } else {
      // An answer came: the server has it as a draft, not filed.
      autosave.releaseHold();
    }
    if (state.status === 'saved' || state.status === 'savedWithProblems') {
      autosave.markSaved(state.values);
      if (stableJson(form.getValues()) === stableJson(state.values)) autosave.forgetCopy(state.values.clientId);
    }
    form.clearErrors();
    pushServerErrors(form.setError, state.fieldErrors);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.seq]);

  /**
   * Puts the report into the device's outbox, as Submit sends it (rows never filled in left out,
   * the place's time zone made explicit); the outbox now holds the text, so the form's device copy
   * goes. False where the device cannot keep it (no IndexedDB): the form posts as before.
   */
  const queueForSending = async (values: ReportFormValues): Promise<boolean> => {
    const toSend = withPlaceTimeZone(withoutEmptyRows(values, emptyRowIndexes(values)).values, placeZone);
    // Its photos not yet on the server go with it (_device/photo-store.ts, loaded on first use).
    let photos: Awaited<ReturnType<typeof import('../../_device/photo-store').takePhotosForOutbox>> = { photos: [], release: () => undefined };
    if (unsentPhotos.current > 0) {
      photos = await import('../../_device/photo-store')
        .then(({ takePhotosForOutbox }) => takePhotosForOutbox(accountId, { formClientId: values.clientId, reportId: autosave.reportId }))
        .catch(() => null);
      if (!photos) return false;
    }
    if (!(await queueReport(accountId, { values: toSend, formValues: values, photos: photos.photos, reportId: autosave.reportId }))) return false;
    photos.release();
    autosave.forgetCopy(values.clientId);
    queued.watch(values.clientId);
    setIsSubmitting(false);
    requestOutboxSend();
    return true;
  };

  // Buttons: scripts on, handled in place; scripts off, the browser posts the form.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const intent = parseReportFormIntent(submitter instanceof HTMLButtonElement ? submitter.value : 'save') ?? { kind: 'save' };
    // Never let React run the form action itself: it would reset every field to its default.
    event.preventDefault();
    switch (intent.kind) {
      case 'add-row': {
        const { section } = intent;
        if (form.getValues(section).length >= REPORT_ROW_SECTIONS[section].maxRows) {
          pushServerErrors(form.setError, { [section]: [`report.errors.${TOO_MANY_ROWS[section]}`] });
          return;
        }
        if (section === 'vehicles') rowArrays.vehicles.append(emptyVehicleRow());
        else if (section === 'goods') rowArrays.goods.append(emptyGoodsRow());
        else rowArrays.agencies.append(emptyAgencyRow());
        return;
      }
      case 'remove-row':
        if (intent.index !== null) rowArrays[intent.section].remove(intent.index);
        document.getElementById(`add-${intent.section}`)?.focus();
        return;
      case 'search-place':
        document.getElementById(fieldId('placeId'))?.focus();
        return;
      case 'save':
        autosave.saveNow();
        return;
      case 'new-from-text': {
        // The same text as a new report: a new client id, never taken for the filed report again.
        const previousClientId = form.getValues('clientId');
        form.setValue('clientId', newClientId());
        autosave.forgetCopy(previousClientId);
        reportFate.show(null);
        setDirectAnswer(null);
        setIsNewFromText(true);
        autosave.startNewReport(form.getValues());
        return;
      }
      case 'locale': {
        // The server saves the draft, remembers the language and answers with the draft's edit page
        // in it (the same post as without scripts). Offline, nothing happens: the text stays here.
        autosave.cancelScheduledSave();
        const formData = new FormData(event.currentTarget, submitter);
        formData.set('clientId', form.getValues('clientId'));
        void (async () => {
          try {
            const answer = await reportFormAction(state, formData);
            startTransition(() => setDirectAnswer(answer));
          } catch (error) {
            if (!isRedirect(error)) autosave.saveNow();
          }
        })();
        return;
      }
      case 'submit': {
        // Held at once, so a double click posts once (the server would answer it the same anyway).
        if (!autosave.beginSubmit()) return;
        const formElement = event.currentTarget;
        void (async () => {
          let errors: ReturnType<Validation['checkForSubmit']> = null;
          try {
            errors = (await loadValidation()).checkForSubmit(withPlaceTimeZone(form.getValues(), placeZone));
          } catch {
            // The schemas could not load (offline): the server validates anyway.
          }
          if (errors) {
            autosave.endSubmit();
            form.clearErrors();
            pushServerErrors(form.setError, errors.fieldErrors);
            setShowSummary(true);
            setSummaryFocusRequest((n) => n + 1);
            return;
          }
          autosave.cancelScheduledSave();
          setIsSubmitting(true);
          setIsNewFromText(false);
          const values = form.getValues();
          // Kept on the device until the server confirms (the report page forgets it).
          autosave.keepCopy(values);
          reportFate.show(null);
          queued.watch(null);
          // No connection: into the outbox, sent once the connection returns (outbox-runner.ts).
          // Photos still on their way: into the outbox too, whose runner sends them before the
          // report (once submitted, a report takes no more photos: docs/decisions/0010).
          if ((navigator.onLine === false || unsentPhotos.current > 0) && (await queueForSending(values))) return;
          const formData = new FormData(formElement, submitter);
          formData.set('clientId', values.clientId);
          try {
            const answer = await reportFormAction(state, formData);
            startTransition(() => setDirectAnswer(answer));
          } catch (error) {
            // Submitted: Next navigates to the report page by itself.
            if (isRedirect(error)) return;
            // No answer (connection dropped, server error): it may have been committed. Ask. No
            // save meanwhile (it would be refused, or race the answer); Submit stays possible (a
            // second post is answered like the first).
            setIsSubmitting(false);
            autosave.holdFiled();
            autosave.endSubmit();
            reportFate.check(values);
          }
        })();
        return;
      }
    }
  };

  const clientErrors = form.formState.errors;
  const kit: ReportFormKit = {
    texts,
    errorsAt: (path) => (isEnhanced ? clientErrorsAt(clientErrors, path) : (state.fieldErrors[path] ?? [])),
    valueAt: (path) => form.getValues(path as FieldPath<ReportFormValues>),
    register: (path) => form.register(path as FieldPath<ReportFormValues>, { deps: VALIDATION_DEPS[path] }),
    setValue: (path, value) => form.setValue(path as FieldPath<ReportFormValues>, value, { shouldDirty: true }),
    focusPath: isEnhanced ? null : state.focus,
  };

  // The place list: filtered in place with scripts, by the server's search without.
  const trimmedQuery = (isEnhanced ? placeQuery : state.placeQuery).trim();
  const selectedPlaceId = String((isEnhanced ? watchedPlaceId : state.values.placeId) ?? '');
  const placeList = visiblePlaces({ places, query: trimmedQuery, serverMatches: state.placeMatches, isEnhanced, selectedPlaceId });
  // The time zone follows the chosen place unless the partner picks one (lib/reports/form-values.ts PLACE_TIME_ZONE).
  const placeZone = places.find((place) => place.id === selectedPlaceId)?.timeZone ?? null;
  const placeTimeZoneLabel = placeZone
    ? t('report.form.options.timeZone.placeKnown', { zone: texts.option('timeZone', placeZone) })
    : t('report.form.options.timeZone.place');

  const isQueued = isEnhanced && queued.record !== null && (queued.record.state === 'waiting' || queued.record.state === 'sending');
  const statusText = isQueued
    ? ''
    : isPending || isSubmitting
      ? isSubmitting
        ? t('report.form.status.submitting')
        : t('report.form.status.saving')
      : describeSaveStatus(isEnhanced ? autosave.status : statusOfAnswer(state), { t, locale, isNewReport: initialReportId === null, messageText });
  // Scripts off, a save answered by a new page: said once, at the top (see the form's start).
  const isSaveShownAtTop = !isEnhanced && (state.status === 'saved' || state.status === 'savedWithProblems');
  const summaryHeading = state.message && state.formErrors.includes(state.message) ? state.message : 'report.errors.fixFields';
  const fate = reportFate.fate;
  // Scripts off, the action's answer says it; scripts on, the form's own knowledge does.
  const filedNow = isEnhanced ? (fate?.kind === 'filed' ? fate.filed : null) : state.filed;
  const newFromTextShown = isEnhanced ? isNewFromText : state.status === 'newFromText';
  const lostFate: Exclude<ReportFateState, { kind: 'filed' }> | null = isEnhanced && fate && fate.kind !== 'filed' ? fate : null;
  const signInPath = autosave.reportId === null ? '/partner/reports/new' : `/partner/reports/${autosave.reportId}/edit`;

  return (
    <ReportFormKitProvider kit={kit}>
      <form action={formAction} onSubmit={onSubmit} onFocus={() => void loadValidation().catch(() => undefined)} noValidate className="report-form">
        {/* The default button: Enter in a text field saves the draft instead of adding a row. */}
        <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          {t('report.form.buttons.save')}
        </button>
        <input type="hidden" defaultValue={watchedClientId ?? state.values.clientId} {...form.register('clientId')} />
        <KeptOwnerField />
        {filedNow ? <FiledNotice filed={filedNow} isEnhanced={isEnhanced} /> : null}
        {newFromTextShown ? (
          <p role="status" className="notice ok">
            {t('report.form.filed.started')}
          </p>
        ) : null}
        <ErrorSummary
          isShown={isEnhanced ? showSummary : true}
          heading={summaryHeading}
          formErrors={state.formErrors}
          fieldErrors={isEnhanced ? flattenErrors(clientErrors) : state.fieldErrors}
          focusRequest={summaryFocusRequest}
          agencies={agencies}
        />
        {/* Scripts off, the page comes back at its top after Save draft: the answer is shown here,
            in view, instead of in the status line at the bottom of the long form. */}
        {isSaveShownAtTop ? (
          <p role="status" className={state.status === 'saved' ? 'notice ok' : 'notice warn'} id="report-saved-top">
            {statusText}
          </p>
        ) : null}
        <p id="report-save-mode">{autosave.isAutosaving ? t('report.form.saveMode.auto') : t('report.form.saveMode.manual')}</p>
        {autosave.wasRestored ? <p className="notice warn">{t('report.form.status.restored')}</p> : null}
        <p className="field-hint">{t('report.form.requiredNote')}</p>
        {/* The form's own language switch: it posts the text with it, so nothing typed is lost
            (the header's switch is a separate form; the root layout leaves it out on this page). */}
        <fieldset id="report-language" className="inline-form">
          <legend>{t('report.form.language.legend')}</legend>
          <p className="field-hint" id="report-language-hint">
            {t('report.form.language.hint')}
          </p>
          {LOCALES.filter((other) => other !== locale).map((other) => (
            <button key={other} type="submit" name="intent" value={reportFormIntentValue({ kind: 'locale', locale: other })} className="secondary" lang={other} aria-describedby="report-language-hint">
              {t(`report.form.language.${other}`)}
            </button>
          ))}
        </fieldset>

        <WhenSection timeChoice={(field) => <TimeChoice field={field} options={state.timeOptions[field]} />} placeTimeZoneLabel={placeTimeZoneLabel} />
        <WhereSection
          places={placeList.shown}
          placeSearch={<PlaceSearch defaultQuery={state.placeQuery} query={trimmedQuery} matchCount={placeList.matching?.length ?? null} onQueryChange={setPlaceQuery} />}
        />
        <WhatSection />
        <RowSections
          rowKeys={{ vehicles: rowArrays.vehicles.fields.map((row) => row.id), goods: rowArrays.goods.fields.map((row) => row.id), agencies: rowArrays.agencies.fields.map((row) => row.id) }}
          categories={categories}
          agencies={agencies}
        />
        <SafetySection />
        <FormPhotos
          accountId={accountId}
          formClientId={watchedClientId ?? state.values.clientId}
          reportId={autosave.reportId}
          requestSave={autosave.saveNow}
          onUnsentPhotos={onUnsentPhotos}
        />

        <p role="status" aria-live="polite" className="save-status">
          {isSaveShownAtTop ? null : statusText}
          {isEnhanced && autosave.status.kind === 'sessionExpired' ? (
            <>
              {' '}
              <a href={`/sign-in?callbackUrl=${encodeURIComponent(signInPath)}`} target="_blank" rel="noopener">
                {t('report.form.signInAgain')}
              </a>
            </>
          ) : null}
        </p>
        {lostFate ? <LostSubmitNotice fate={lostFate} /> : null}
        {isEnhanced && queued.record ? <QueuedReportNotice record={queued.record} /> : null}
        <div className="row-actions">
          <button type="submit" name="intent" value="save" className="secondary">
            {t('report.form.buttons.save')}
          </button>
          <button type="submit" name="intent" value="submit" disabled={isSubmitting || isQueued}>
            {t('report.form.buttons.submit')}
          </button>
        </div>
      </form>
    </ReportFormKitProvider>
  );
}
