'use client';

import { startTransition, useActionState, useEffect, useRef, useState, useSyncExternalStore, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { useFieldArray, useForm, useWatch, type FieldPath, type Resolver } from 'react-hook-form';
import { AGENCY_ROLES, CURRENCIES, DIRECTIONS, PLACE_PRECISIONS, SOURCE_TYPES, TIME_ZONES, VEHICLE_TYPES } from '@/db/enums';
import { matchesPlaceQuery } from '@/lib/places/search';
import { parseReportFormIntent, reportFormIntentValue } from '@/lib/reports/form-data';
import { REPORT_LIMITS } from '@/lib/reports/limits';
import { isReportMessageKey, reportMessageValues } from '@/lib/reports/messages';
import {
  AGENCY_OTHER,
  emptyAgencyRow,
  emptyGoodsRow,
  emptyVehicleRow,
  REPORT_ROW_SECTIONS,
  type ReportFieldErrors,
  type ReportFormValues,
  type ReportRowSection,
} from '@/lib/reports/form-values';
import { autosaveReportDraft, reportFormAction } from '../actions';
import { initialReportFormState, type ReportFormState } from './form-state';
import { forgetAllLocalCopies, forgetLocalCopy, keepLocalCopy, readLocalCopies, stableJson } from './local-copy';

/** A gazetteer entry as the form offers it (see lib/places/gazetteer.ts PlaceOption). */
export type FormPlaceOption = { id: string; name: string; parentName: string | null; nameEn: string; nameKo: string };
/** An agency or goods category, named in the reader's language. */
export type FormReferenceOption = { id: string; name: string };

type Props = {
  /** The signed-in partner: the browser's copies are kept per account. */
  accountId: number;
  initialValues: ReportFormValues;
  /** The report being edited; null for a new report (created by the first save). */
  reportId: number | null;
  places: FormPlaceOption[];
  agencies: FormReferenceOption[];
  categories: FormReferenceOption[];
};

/** useSyncExternalStore needs a subscription; "are scripts running" never changes once known. */
const subscribeNothing = () => () => undefined;

type Validation = typeof import('./validation');
let validation: Promise<Validation> | null = null;
/** The zod schemas load on demand (see validation.ts); every caller shares one download. */
function loadValidation(): Promise<Validation> {
  validation ??= import('./validation').catch((error: unknown) => {
    validation = null;
    throw error;
  });
  return validation;
}

/** react-hook-form resolver that waits for the schemas; until they load (offline) it finds nothing wrong. */
const resolveLazily: Resolver<ReportFormValues> = async (values, context, options) => {
  try {
    return (await loadValidation()).resolveReport(values, context, options);
  } catch {
    return { values, errors: {} };
  }
};

/** Autosave waits this long after the last change (ms). */
const AUTOSAVE_DELAY_MS = 2000;

type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number | null }
  /** Saved as typed, but some fields do not validate yet (shown beside them). */
  | { kind: 'savedWithProblems' }
  | { kind: 'offline' }
  | { kind: 'sessionExpired' }
  | { kind: 'invalid' }
  | { kind: 'refused'; message: string }
  | { kind: 'rows' };

const SECTION_KEYS = { vehicles: 'vehicle', goods: 'goods', agencies: 'agency' } as const satisfies Record<ReportRowSection, string>;
const TIME_ZONE_KEYS = { 'Asia/Pyongyang': 'pyongyang', 'Asia/Shanghai': 'shanghai', UTC: 'utc' } as const;
/** Top-level parts in the order the form shows them (for ordering the error summary). */
const FORM_ORDER = [
  'clientId',
  'observedFrom',
  'observedFromChoice',
  'observedTo',
  'observedToChoice',
  'timeZone',
  'timeNote',
  'placeId',
  'placeDetail',
  'placePrecision',
  'title',
  'narrative',
  'sourceType',
  'vehicles',
  'goods',
  'agencies',
  'safetyNote',
];

/** Fields whose messages depend on another field's value (re-checked when it changes). */
const VALIDATION_DEPS: Partial<Record<string, FieldPath<ReportFormValues>[]>> = {
  observedFrom: ['observedTo'],
  observedTo: ['observedFrom'],
  timeZone: ['observedFrom', 'observedTo'],
};

/** The HTML id of a form path: 'vehicles.1.count' → 'f-vehicles-1-count'. */
function fieldId(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}

function pathRank(path: string): number[] {
  const [top = '', index, field] = path.split('.');
  const section = top in REPORT_ROW_SECTIONS ? REPORT_ROW_SECTIONS[top as ReportRowSection] : null;
  const fieldRank = section && field ? (section.fields as readonly string[]).indexOf(field) : -1;
  return [FORM_ORDER.indexOf(top), index === undefined || index === 'root' ? -1 : Number(index), fieldRank];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

type ErrorLike = { type?: unknown; message?: unknown; types?: Record<string, unknown> };

function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).type === 'string';
}

/** Every message of one react-hook-form error (its message and, with criteriaMode 'all', its types). */
function messagesOf(error: unknown): string[] {
  if (!isErrorLike(error)) return [];
  const list: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value !== '' && !list.includes(value)) list.push(value);
    if (Array.isArray(value)) value.forEach(add);
  };
  add(error.message);
  if (error.types) Object.values(error.types).forEach(add);
  return list;
}

/** react-hook-form's nested errors → messages per dotted path (field-array 'root' errors on the array's path). */
function flattenErrors(errors: unknown, prefix = '', out: ReportFieldErrors = {}): ReportFieldErrors {
  if (typeof errors !== 'object' || errors === null) return out;
  for (const [key, value] of Object.entries(errors)) {
    if (key === 'ref' || key === 'message' || key === 'type' || key === 'types') continue;
    const path = key === 'root' ? prefix : prefix ? `${prefix}.${key}` : key;
    const messages = messagesOf(value);
    if (messages.length > 0 && path !== '') out[path] = [...(out[path] ?? []), ...messages] as ReportFieldErrors[string];
    if (typeof value === 'object' && value !== null && key !== 'root') flattenErrors(value, path, out);
  }
  return out;
}

function getAt(errors: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), errors);
}

/**
 * The partner's report form. Plain HTML first: a <form> posting to a Server Action through
 * useActionState, every field named as lib/reports/form-data.ts reads it, row buttons and the
 * place search as submit buttons, so it all works with scripts off. With scripts on,
 * react-hook-form enhances the same markup: instant validation with the submit schema, rows added
 * and removed in place, the place list filtered as one types, autosave (debounced) to the server,
 * and a copy in the browser while a change is not saved there (offline, session expired).
 */
export function ReportForm({ accountId, initialValues, reportId: initialReportId, places, agencies, categories }: Props) {
  const t = useTranslations();
  const locale = useLocale();
  const [state, formAction, isPending] = useActionState<ReportFormState, FormData>(
    reportFormAction,
    initialReportFormState(initialValues, initialReportId),
  );
  const form = useForm<ReportFormValues>({
    defaultValues: state.values,
    resolver: resolveLazily,
    // Errors appear as a value changes, never on blur: a message shown on blur moves the page
    // between mousedown and mouseup, and the click the partner aimed at lands elsewhere.
    mode: 'onChange',
    criteriaMode: 'all',
    shouldFocusError: false,
  });
  const vehicleRows = useFieldArray({ control: form.control, name: 'vehicles' });
  const goodsRows = useFieldArray({ control: form.control, name: 'goods' });
  const agencyRows = useFieldArray({ control: form.control, name: 'agencies' });
  const rowArrays = { vehicles: vehicleRows, goods: goodsRows, agencies: agencyRows };
  const watchedPlaceId = useWatch({ control: form.control, name: 'placeId' });

  // False while rendering on the server and hydrating, true once scripts run in the browser.
  const isEnhanced = useSyncExternalStore(subscribeNothing, () => true, () => false);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [showSummary, setShowSummary] = useState(false);
  const [summaryFocusRequest, setSummaryFocusRequest] = useState(0);
  const [placeQuery, setPlaceQuery] = useState(state.placeQuery);
  const [wasRestored, setWasRestored] = useState(false);
  // Set once the effect below watches for changes: only then is "saved as you go" true. Until
  // then (server HTML, scripts off, or scripts that failed) the page says what a button keeps.
  const [isAutosaving, setIsAutosaving] = useState(false);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [reportId, setReportId] = useState(initialReportId);
  const [answeredSeq, setAnsweredSeq] = useState(state.seq);
  const summaryRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const saveAgain = useRef(false);
  const isSubmittingRef = useRef(false);
  const lastSavedJson = useRef(stableJson(initialValues));

  const tr = (key: string): string => (isReportMessageKey(key) ? t(key, reportMessageValues(key)) : t(key));

  // ---------------------------------------------------------------------------------------------
  // Autosave and the browser's copy (scripts on only)
  // ---------------------------------------------------------------------------------------------

  const pushErrors = (fieldErrors: ReportFieldErrors) => {
    for (const [path, messages] of Object.entries(fieldErrors)) {
      const [first] = messages;
      if (!first) continue;
      const name = (path in REPORT_ROW_SECTIONS ? `${path}.root` : path) as FieldPath<ReportFormValues>;
      form.setError(name, { type: 'server', message: first, types: Object.fromEntries(messages.map((m, i) => [`server${i}`, m])) });
    }
  };

  const saveNow = async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (isSubmittingRef.current) return;
    if (inFlight.current) {
      saveAgain.current = true;
      return;
    }
    inFlight.current = true;
    const values = form.getValues();
    const json = stableJson(values);
    setSaveStatus({ kind: 'saving' });
    try {
      const result = await autosaveReportDraft(values);
      if (result.ok) {
        lastSavedJson.current = json;
        setReportId(result.reportId);
        if (stableJson(form.getValues()) === json) forgetLocalCopy(accountId, values.clientId);
        if (result.fieldErrors) {
          // Beside the fields only, as for a refusal: the values are kept on the server all the same.
          pushErrors(result.fieldErrors);
          setSaveStatus({ kind: 'savedWithProblems' });
        } else {
          setSaveStatus({ kind: 'saved', at: result.savedAt });
        }
        if (result.created && window.location.pathname.endsWith('/partner/reports/new')) {
          // A reload now opens this draft instead of an empty form.
          window.history.replaceState(null, '', `/partner/reports/${result.reportId}/edit`);
        }
      } else if (result.reason === 'sessionExpired') {
        setSaveStatus({ kind: 'sessionExpired' });
      } else if (result.reason === 'invalid') {
        // Beside the fields only: a summary popping up at the top while typing would move the page.
        pushErrors(result.fieldErrors);
        setSaveStatus({ kind: 'invalid' });
      } else {
        // Submitted meanwhile, or not this partner's: this copy can never be saved.
        forgetLocalCopy(accountId, values.clientId);
        if (values.clientId !== initialValues.clientId) {
          form.reset(initialValues);
          lastSavedJson.current = stableJson(initialValues);
        }
        setSaveStatus({ kind: 'refused', message: result.message });
      }
    } catch {
      setSaveStatus({ kind: 'offline' });
    } finally {
      inFlight.current = false;
      if (saveAgain.current) {
        saveAgain.current = false;
        scheduleSave();
      }
    }
  };

  const scheduleSave = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
  };

  const onValuesChanged = () => {
    if (isSubmittingRef.current) return;
    const values = form.getValues();
    if (stableJson(values) === lastSavedJson.current) return;
    keepLocalCopy(accountId, values);
    setSaveStatus((current) => (current.kind === 'sessionExpired' || current.kind === 'offline' ? current : { kind: 'unsaved' }));
    scheduleSave();
  };

  // Once scripts run: restore a copy this device kept, watch for changes, clear copies on sign-out.
  useEffect(() => {
    const copies = readLocalCopies(accountId);
    const own = copies.find((copy) => copy.values.clientId === initialValues.clientId);
    // A new form picks up the newest unsaved copy (e.g. a report typed while signed out).
    const copy = own ?? (initialReportId === null ? copies[0] : undefined);
    if (copy && stableJson(copy.values) !== stableJson(initialValues)) {
      form.reset(copy.values);
      // localStorage exists only in the browser, after hydration: this effect is where it is read.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setWasRestored(true);
      void saveNow();
    }
    const unsubscribe = form.subscribe({ formState: { values: true }, callback: () => onValuesChanged() });
    // Autosave starts here, in the browser only.
    setIsAutosaving(true);
    const onOnline = () => {
      if (stableJson(form.getValues()) !== lastSavedJson.current) void saveNow();
    };
    const onSignOut = (event: Event) => {
      const target = event.target;
      if (target instanceof HTMLFormElement && new URL(target.action, window.location.href).pathname === '/sign-out') {
        forgetAllLocalCopies(accountId);
      }
    };
    window.addEventListener('online', onOnline);
    // Back from signing in again in another tab: try the unsaved change at once.
    window.addEventListener('focus', onOnline);
    document.addEventListener('submit', onSignOut, true);
    return () => {
      unsubscribe();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('focus', onOnline);
      document.removeEventListener('submit', onSignOut, true);
      if (timer.current) clearTimeout(timer.current);
    };
    // Runs once per mounted form; the handlers read refs and the form's own store.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // An answer from the form's Server Action (submit refused, or a save through the button): the
  // form's own state follows it at once (during render), react-hook-form's errors in an effect.
  if (state.seq !== answeredSeq) {
    setAnsweredSeq(state.seq);
    setIsSubmitting(false);
    const hasErrors = state.formErrors.length > 0 || Object.keys(state.fieldErrors).length > 0;
    setShowSummary(hasErrors);
    if (hasErrors) setSummaryFocusRequest((n) => n + 1);
    if (state.status === 'saved') setSaveStatus({ kind: 'saved', at: state.savedAt });
    else if (state.status === 'savedWithProblems') setSaveStatus({ kind: 'savedWithProblems' });
    else if (state.status === 'invalid') setSaveStatus({ kind: 'invalid' });
    else if (state.status === 'refused' && state.message) setSaveStatus({ kind: 'refused', message: state.message });
  }
  useEffect(() => {
    if (state.seq === 0) return;
    isSubmittingRef.current = false;
    if (state.status === 'saved' || state.status === 'savedWithProblems') lastSavedJson.current = stableJson(state.values);
    form.clearErrors();
    pushErrors(state.fieldErrors);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.seq]);

  // Focus the summary once it is on screen (after react-hook-form has its errors, one render later).
  const focusedRequest = useRef(0);
  useEffect(() => {
    if (summaryFocusRequest > focusedRequest.current && summaryRef.current) {
      focusedRequest.current = summaryFocusRequest;
      summaryRef.current.focus();
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Buttons (scripts on: handled in place; scripts off: the browser posts the form)
  // ---------------------------------------------------------------------------------------------

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const intent = parseReportFormIntent(submitter instanceof HTMLButtonElement ? submitter.value : 'save') ?? { kind: 'save' };
    // Never let React run the form action itself: it would reset every field to its default.
    event.preventDefault();
    switch (intent.kind) {
      case 'add-row': {
        const { section } = intent;
        if (form.getValues(section).length >= REPORT_ROW_SECTIONS[section].maxRows) {
          const tooMany = { vehicles: 'tooManyVehicles', goods: 'tooManyGoods', agencies: 'tooManyAgencies' } as const;
          pushErrors({ [section]: [`report.errors.${tooMany[section]}`] });
          return;
        }
        if (section === 'vehicles') vehicleRows.append(emptyVehicleRow());
        else if (section === 'goods') goodsRows.append(emptyGoodsRow());
        else agencyRows.append(emptyAgencyRow());
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
        void saveNow();
        return;
      case 'submit': {
        if (isSubmittingRef.current) return;
        // Set at once, so a double click posts once (the server would answer it the same anyway).
        isSubmittingRef.current = true;
        const formElement = event.currentTarget;
        void (async () => {
          let errors: Awaited<ReturnType<Validation['checkForSubmit']>> = null;
          try {
            errors = (await loadValidation()).checkForSubmit(form.getValues());
          } catch {
            // The schemas could not load (offline): the server validates anyway.
          }
          if (errors) {
            isSubmittingRef.current = false;
            form.clearErrors();
            pushErrors(errors.fieldErrors);
            setShowSummary(true);
            setSummaryFocusRequest((n) => n + 1);
            return;
          }
          if (timer.current) clearTimeout(timer.current);
          setIsSubmitting(true);
          const formData = new FormData(formElement, submitter);
          startTransition(() => formAction(formData));
        })();
        return;
      }
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Rendering helpers
  // ---------------------------------------------------------------------------------------------

  const clientErrors = form.formState.errors;
  const errorsAt = (path: string): string[] => {
    if (!isEnhanced) return state.fieldErrors[path] ?? [];
    const node = getAt(clientErrors, path);
    const own = messagesOf(node);
    return path in REPORT_ROW_SECTIONS ? [...own, ...messagesOf(getAt(node, 'root'))] : own;
  };
  const valueAt = (path: FieldPath<ReportFormValues>): unknown => form.getValues(path);

  const labelFor = (path: string): string => {
    const [top = '', index, field] = path.split('.');
    if (top in REPORT_ROW_SECTIONS) {
      const key = SECTION_KEYS[top as ReportRowSection];
      if (index === undefined || field === undefined) return t(`report.form.sections.${top}`);
      return `${t(`report.form.${key}.legend`, { n: Number(index) + 1 })} – ${t(`report.form.${key}.${field}`)}`;
    }
    if (top === 'observedFromChoice' || top === 'observedToChoice') return t('report.timeChoice.legend');
    if (top === 'clientId') return t('report.form.fields.title');
    return t(`report.form.fields.${top}`);
  };

  /** Props wiring one control: name, id, registration, default value, error and hint links. */
  const control = (path: FieldPath<ReportFormValues>, { hint = false }: { hint?: boolean } = {}) => {
    const id = fieldId(path);
    const errors = errorsAt(path);
    const describedBy = [hint ? `${id}-hint` : null, errors.length > 0 ? `${id}-error` : null].filter(Boolean).join(' ');
    return {
      id,
      ...form.register(path, { deps: VALIDATION_DEPS[path] }),
      'aria-invalid': errors.length > 0 ? true : undefined,
      'aria-describedby': describedBy === '' ? undefined : describedBy,
      autoFocus: !isEnhanced && state.focus === path ? true : undefined,
    };
  };

  /** A summary link moves the keyboard focus to its field (the browser only scrolls to it). */
  const focusField = (event: MouseEvent<HTMLAnchorElement>, path: string) => {
    const target = document.getElementById(fieldId(path));
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({ block: 'center' });
  };

  const fieldError = (path: string): ReactNode => {
    const errors = errorsAt(path);
    if (errors.length === 0) return null;
    return (
      <p className="field-error" id={`${fieldId(path)}-error`}>
        {errors.map((key) => tr(key)).join(' ')}
      </p>
    );
  };

  const hintFor = (path: string, text: string): ReactNode => (
    <p className="field-hint" id={`${fieldId(path)}-hint`}>
      {text}
    </p>
  );

  const required = <span aria-hidden="true"> *</span>;
  const requiredText = <span className="visually-hidden"> {t('report.form.required')}</span>;

  const textInput = (path: FieldPath<ReportFormValues>, label: string, options: { hint?: string; isRequired?: boolean; maxLength?: number; type?: string; inputMode?: 'numeric' | 'decimal' } = {}) => (
    <div>
      <label htmlFor={fieldId(path)}>
        {label}
        {options.isRequired ? (
          <>
            {required}
            {requiredText}
          </>
        ) : null}
      </label>
      {options.hint ? hintFor(path, options.hint) : null}
      <input
        type={options.type ?? 'text'}
        inputMode={options.inputMode}
        maxLength={options.maxLength}
        defaultValue={String(valueAt(path) ?? '')}
        {...control(path, { hint: Boolean(options.hint) })}
      />
      {fieldError(path)}
    </div>
  );

  const selectInput = (path: FieldPath<ReportFormValues>, label: string, choices: { value: string; label: string }[], options: { isRequired?: boolean; withEmpty?: boolean } = {}) => (
    <div>
      <label htmlFor={fieldId(path)}>
        {label}
        {options.isRequired ? (
          <>
            {required}
            {requiredText}
          </>
        ) : null}
      </label>
      <select defaultValue={String(valueAt(path) ?? '')} {...control(path)}>
        {options.withEmpty === false ? null : <option value="">{t('report.form.choose')}</option>}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {fieldError(path)}
    </div>
  );

  const textArea = (path: FieldPath<ReportFormValues>, label: string, options: { hint?: string; isRequired?: boolean; maxLength: number; rows?: number }) => (
    <div>
      <label htmlFor={fieldId(path)}>
        {label}
        {options.isRequired ? (
          <>
            {required}
            {requiredText}
          </>
        ) : null}
      </label>
      {options.hint ? hintFor(path, options.hint) : null}
      <textarea rows={options.rows ?? 4} maxLength={options.maxLength} defaultValue={String(valueAt(path) ?? '')} {...control(path, { hint: Boolean(options.hint) })} />
      {fieldError(path)}
    </div>
  );

  const enumChoices = (values: readonly string[], group: string) => values.map((value) => ({ value, label: t(`report.form.options.${group}.${value}`) }));

  const timeChoice = (field: 'observedFrom' | 'observedTo') => {
    const choiceField = field === 'observedFrom' ? 'observedFromChoice' : 'observedToChoice';
    const options = state.timeOptions[field];
    const current = String(valueAt(choiceField) ?? '');
    if (!options) return <input type="hidden" defaultValue={current} {...form.register(choiceField)} />;
    return (
      <fieldset id={fieldId(choiceField)} aria-describedby={errorsAt(choiceField).length > 0 ? `${fieldId(choiceField)}-error` : undefined}>
        <legend>{t('report.timeChoice.legend')}</legend>
        {(['earlier', 'later'] as const).map((choice) => (
          <label key={choice}>
            <input type="radio" value={choice} defaultChecked={current === choice} {...form.register(choiceField)} />{' '}
            {t(`report.timeChoice.${choice}`, { offset: options[choice].offsetLabel })}
          </label>
        ))}
        {fieldError(choiceField)}
      </fieldset>
    );
  };

  // ---------------------------------------------------------------------------------------------
  // Place list: filtered in place with scripts, by the server's search without
  // ---------------------------------------------------------------------------------------------

  const selectedPlaceId = String((isEnhanced ? watchedPlaceId : state.values.placeId) ?? '');
  const trimmedQuery = (isEnhanced ? placeQuery : state.placeQuery).trim();
  const matchingPlaces = isEnhanced
    ? trimmedQuery === ''
      ? null
      : places.filter((place) => matchesPlaceQuery(place, trimmedQuery))
    : state.placeMatches === null
      ? null
      : places.filter((place) => state.placeMatches?.includes(place.id));
  const shownPlaces = matchingPlaces === null ? places : places.filter((place) => matchingPlaces.includes(place) || place.id === selectedPlaceId);

  // ---------------------------------------------------------------------------------------------
  // Status line and summary
  // ---------------------------------------------------------------------------------------------

  const statusText = (): string => {
    if (isPending || isSubmitting) return isSubmitting ? t('report.form.status.submitting') : t('report.form.status.saving');
    const status: SaveStatus = isEnhanced
      ? saveStatus
      : state.status === 'saved'
        ? { kind: 'saved', at: null }
        : state.status === 'savedWithProblems'
          ? { kind: 'savedWithProblems' }
          : state.status === 'invalid'
            ? { kind: 'invalid' }
            : state.status === 'refused' && state.message
              ? { kind: 'refused', message: state.message }
              : state.status === 'rows' || state.status === 'searched'
                ? { kind: 'rows' }
                : { kind: 'idle' };
    switch (status.kind) {
      case 'idle':
        return initialReportId === null ? t('report.form.status.idle') : '';
      case 'unsaved':
        return '';
      case 'saving':
        return t('report.form.status.saving');
      case 'saved':
        return status.at === null
          ? t('report.form.status.saved')
          : t('report.form.status.savedAt', { time: new Date(status.at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) });
      case 'savedWithProblems':
        return t('report.form.status.savedWithProblems');
      case 'offline':
        return t('report.form.status.offline');
      case 'sessionExpired':
        return t('report.outcome.sessionExpired');
      case 'invalid':
        return t('report.form.status.notSaved');
      case 'refused':
        return tr(status.message);
      case 'rows':
        return t('report.form.status.rowsChanged');
    }
  };

  // Scripts off, a save answered by a new page: said once, at the top (see the form's start).
  const isSaveShownAtTop = !isEnhanced && (state.status === 'saved' || state.status === 'savedWithProblems');

  const summaryEntries = Object.entries(isEnhanced ? flattenErrors(clientErrors) : state.fieldErrors).sort(([a], [b]) =>
    compareRanks(pathRank(a), pathRank(b)),
  );
  const formErrors = state.formErrors;
  const isSummaryShown = (isEnhanced ? showSummary : true) && (summaryEntries.length > 0 || formErrors.length > 0);
  const summaryHeading = state.message && formErrors.includes(state.message) ? state.message : 'report.errors.fixFields';

  const rowSection = (section: ReportRowSection, rows: { id: string }[], renderRow: (index: number) => ReactNode) => {
    const key = SECTION_KEYS[section];
    const addIntent = reportFormIntentValue({ kind: 'add-row', section });
    const addLabel = { vehicles: 'addVehicle', goods: 'addGoods', agencies: 'addAgency' }[section];
    const removeLabel = { vehicles: 'removeVehicle', goods: 'removeGoods', agencies: 'removeAgency' }[section];
    return (
      <section aria-labelledby={`${fieldId(section)}-heading`} id={fieldId(section)} tabIndex={-1}>
        <h2 id={`${fieldId(section)}-heading`}>{t(`report.form.sections.${section}`)}</h2>
        {fieldError(section)}
        {rows.length === 0 ? <p className="field-hint">{t(`report.form.empty.${section}`)}</p> : null}
        {rows.map((row, index) => (
          <fieldset key={row.id}>
            <legend>{t(`report.form.${key}.legend`, { n: index + 1 })}</legend>
            {renderRow(index)}
            <div className="row-actions">
              <button type="submit" name="intent" value={reportFormIntentValue({ kind: 'remove-row', section, index })} className="secondary">
                {t(`report.form.buttons.${removeLabel}`, { n: index + 1 })}
              </button>
            </div>
          </fieldset>
        ))}
        <div className="row-actions">
          <button type="submit" name="intent" value={addIntent} id={`add-${section}`} className="secondary" autoFocus={!isEnhanced && state.focus === `add-${section}` ? true : undefined}>
            {t(`report.form.buttons.${addLabel}`)}
          </button>
        </div>
      </section>
    );
  };

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} onFocus={() => void loadValidation().catch(() => undefined)} noValidate className="report-form">
      {/* The default button: Enter in a text field saves the draft instead of adding a row. */}
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {t('report.form.buttons.save')}
      </button>
      <input type="hidden" defaultValue={state.values.clientId} {...form.register('clientId')} />

      {isSummaryShown ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="report-error-summary-title">
          <h2 id="report-error-summary-title">{t('report.form.summaryTitle')}</h2>
          <p>{tr(summaryHeading)}</p>
          <ul>
            {formErrors.map((key) => (
              <li key={key}>{tr(key)}</li>
            ))}
            {summaryEntries.map(([path, keys]) => (
              <li key={path}>
                <a href={`#${fieldId(path)}`} onClick={(event) => focusField(event, path)}>
                  {labelFor(path)}: {keys.map((key) => tr(key)).join(' ')}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {/* Scripts off, the page comes back at its top after Save draft: the answer is shown here,
          in view, instead of in the status line at the bottom of the long form. */}
      {isSaveShownAtTop ? (
        <p role="status" className={state.status === 'saved' ? 'notice ok' : 'notice warn'} id="report-saved-top">
          {statusText()}
        </p>
      ) : null}
      <p id="report-save-mode">{isAutosaving ? t('report.form.saveMode.auto') : t('report.form.saveMode.manual')}</p>
      {wasRestored ? <p className="notice warn">{t('report.form.status.restored')}</p> : null}
      <p className="field-hint">{t('report.form.requiredNote')}</p>

      <section aria-labelledby="report-when">
        <h2 id="report-when">{t('report.form.sections.when')}</h2>
        <div className="grid-2">
          {textInput('observedFrom', t('report.form.fields.observedFrom'), { type: 'datetime-local', isRequired: true, hint: t('report.form.fields.timeHint') })}
          {textInput('observedTo', t('report.form.fields.observedTo'), { type: 'datetime-local', isRequired: true, hint: t('report.form.fields.timeHint') })}
        </div>
        {timeChoice('observedFrom')}
        {timeChoice('observedTo')}
        {selectInput(
          'timeZone',
          t('report.form.fields.timeZone'),
          TIME_ZONES.map((zone) => ({ value: zone, label: t(`report.form.options.timeZone.${TIME_ZONE_KEYS[zone]}`) })),
          { isRequired: true, withEmpty: false },
        )}
        {textArea('timeNote', t('report.form.fields.timeNote'), { hint: t('report.form.fields.timeNoteHint'), maxLength: REPORT_LIMITS.timeNoteMaxChars, rows: 2 })}
      </section>

      <section aria-labelledby="report-where">
        <h2 id="report-where">{t('report.form.sections.where')}</h2>
        <label htmlFor="placeQuery">{t('report.form.fields.placeQuery')}</label>
        <p className="field-hint" id="placeQuery-hint">
          {t('report.form.fields.placeQueryHint')}
        </p>
        <div style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
          <input
            type="search"
            id="placeQuery"
            name="placeQuery"
            defaultValue={state.placeQuery}
            aria-describedby="placeQuery-hint placeQuery-result"
            onChange={(event) => setPlaceQuery(event.target.value)}
          />
          <button type="submit" name="intent" value="search-place" className="secondary" style={{ flex: 'none', whiteSpace: 'nowrap' }}>
            {t('report.form.fields.placeSearch')}
          </button>
        </div>
        <p className="field-hint" id="placeQuery-result" role="status">
          {matchingPlaces === null ? '' : t('report.form.fields.placeMatches', { count: matchingPlaces.length, query: trimmedQuery })}
        </p>
        {selectInput(
          'placeId',
          t('report.form.fields.placeId'),
          shownPlaces.map((place) => ({ value: place.id, label: place.parentName ? `${place.name} — ${place.parentName}` : place.name })),
          { isRequired: true },
        )}
        {textInput('placeDetail', t('report.form.fields.placeDetail'), { hint: t('report.form.fields.placeDetailHint'), maxLength: REPORT_LIMITS.placeDetailMaxChars })}
        {selectInput('placePrecision', t('report.form.fields.placePrecision'), enumChoices(PLACE_PRECISIONS, 'placePrecision'), { isRequired: true })}
      </section>

      <section aria-labelledby="report-what">
        <h2 id="report-what">{t('report.form.sections.what')}</h2>
        {textInput('title', t('report.form.fields.title'), { isRequired: true, maxLength: REPORT_LIMITS.titleMaxChars })}
        {textArea('narrative', t('report.form.fields.narrative'), {
          isRequired: true,
          maxLength: REPORT_LIMITS.narrativeMaxChars,
          hint: t('report.form.fields.narrativeHint', { max: REPORT_LIMITS.narrativeMaxChars }),
          rows: 8,
        })}
        {selectInput('sourceType', t('report.form.fields.sourceType'), enumChoices(SOURCE_TYPES, 'sourceType'), { isRequired: true })}
      </section>

      {rowSection('vehicles', vehicleRows.fields, (i) => (
        <>
          <div className="grid-2">
            {selectInput(`vehicles.${i}.vehicleType`, t('report.form.vehicle.vehicleType'), enumChoices(VEHICLE_TYPES, 'vehicleType'), { isRequired: true })}
            {textInput(`vehicles.${i}.count`, t('report.form.vehicle.count'), { isRequired: true, inputMode: 'numeric', maxLength: 12 })}
          </div>
          <label>
            <input type="checkbox" defaultChecked={Boolean(valueAt(`vehicles.${i}.isEstimate`))} {...control(`vehicles.${i}.isEstimate`)} />{' '}
            {t('report.form.vehicle.isEstimate')}
          </label>
          {selectInput(`vehicles.${i}.direction`, t('report.form.vehicle.direction'), enumChoices(DIRECTIONS, 'direction'), { isRequired: true })}
          <div className="grid-2">
            {textInput(`vehicles.${i}.colours`, t('report.form.vehicle.colours'), { maxLength: REPORT_LIMITS.coloursMaxChars })}
            {textInput(`vehicles.${i}.cargo`, t('report.form.vehicle.cargo'), { maxLength: REPORT_LIMITS.cargoMaxChars })}
          </div>
        </>
      ))}

      {rowSection('goods', goodsRows.fields, (i) => (
        <>
          <div className="grid-2">
            {selectInput(`goods.${i}.categoryId`, t('report.form.goods.categoryId'), categories.map((c) => ({ value: c.id, label: c.name })), { isRequired: true })}
            {selectInput(`goods.${i}.direction`, t('report.form.goods.direction'), enumChoices(DIRECTIONS, 'direction'), { isRequired: true })}
          </div>
          {textInput(`goods.${i}.description`, t('report.form.goods.description'), { maxLength: REPORT_LIMITS.goodsDescriptionMaxChars })}
          <div className="grid-2">
            {textInput(`goods.${i}.quantity`, t('report.form.goods.quantity'), { inputMode: 'decimal', maxLength: 24 })}
            {textInput(`goods.${i}.unit`, t('report.form.goods.unit'), { maxLength: REPORT_LIMITS.unitMaxChars, hint: t('report.form.goods.unitHint') })}
            {textInput(`goods.${i}.value`, t('report.form.goods.value'), { inputMode: 'decimal', maxLength: 24 })}
            {selectInput(`goods.${i}.currency`, t('report.form.goods.currency'), enumChoices(CURRENCIES, 'currency'))}
          </div>
        </>
      ))}

      {rowSection('agencies', agencyRows.fields, (i) => (
        <>
          <div className="grid-2">
            {selectInput(
              `agencies.${i}.agencyId`,
              t('report.form.agency.agencyId'),
              [...agencies.map((a) => ({ value: a.id, label: a.name })), { value: AGENCY_OTHER, label: t('report.form.agency.other') }],
              { isRequired: true },
            )}
            {textInput(`agencies.${i}.otherName`, t('report.form.agency.otherName'), { maxLength: REPORT_LIMITS.otherAgencyNameMaxChars })}
          </div>
          {selectInput(`agencies.${i}.role`, t('report.form.agency.role'), enumChoices(AGENCY_ROLES, 'agencyRole'), { isRequired: true })}
          {textArea(`agencies.${i}.note`, t('report.form.agency.note'), { maxLength: REPORT_LIMITS.agencyNoteMaxChars, rows: 2 })}
        </>
      ))}

      <section aria-labelledby="report-safety">
        <h2 id="report-safety">{t('report.form.sections.safety')}</h2>
        {textArea('safetyNote', t('report.form.fields.safetyNote'), { hint: t('report.form.fields.safetyNoteHint'), maxLength: REPORT_LIMITS.safetyNoteMaxChars, rows: 3 })}
      </section>

      <p role="status" aria-live="polite" className="save-status">
        {isSaveShownAtTop ? null : statusText()}
        {isEnhanced && saveStatus.kind === 'sessionExpired' ? (
          <>
            {' '}
            <a href={`/sign-in?callbackUrl=${encodeURIComponent(reportId === null ? '/partner/reports/new' : `/partner/reports/${reportId}/edit`)}`} target="_blank" rel="noopener">
              {t('report.form.signInAgain')}
            </a>
          </>
        ) : null}
      </p>
      <div className="row-actions">
        <button type="submit" name="intent" value="save" className="secondary">
          {t('report.form.buttons.save')}
        </button>
        <button type="submit" name="intent" value="submit" disabled={isSubmitting}>
          {t('report.form.buttons.submit')}
        </button>
      </div>
    </form>
  );
}
