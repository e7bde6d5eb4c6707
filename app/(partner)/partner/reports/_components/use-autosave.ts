'use client';

import { useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { ReportFormValues } from '@/lib/reports/form-values';
import { withOwnerHint } from '@/lib/reports/owner-hint';
import { useKeptOwnerHint } from '../../_device/kept-owner';
import { autosaveReportDraft } from '../actions';
import { forgetRefused } from '../../_device/outbox';
import { pushServerErrors } from './form-errors';
import { forgetLocalCopy, keepLocalCopy, readLocalCopies, stableJson } from './local-copy';
import type { SaveStatus } from './save-status';

/** Autosave waits this long after the last change (ms). */
const AUTOSAVE_DELAY_MS = 2000;

/** What {@link useAutosave} gives the form. */
export type Autosave = {
  status: SaveStatus;
  setStatus: (status: SaveStatus) => void;
  /** The report the saves write to: null until the first save of a new report creates it. */
  reportId: number | null;
  /** A copy this device kept was put back into the form on opening it. */
  wasRestored: boolean;
  /** True once the form is watched for changes (scripts run): only then is "saved as you go" true. */
  isAutosaving: boolean;
  /** Saves now (Save draft with scripts on), or once the save in flight is answered. */
  saveNow: () => void;
  /** Holds autosave for a submit; false when one is already under way (a double click). */
  beginSubmit: () => boolean;
  /** Lets autosave run again (the submit was refused, or stopped in the browser). */
  endSubmit: () => void;
  /** Cancels a scheduled save (the submit is about to post). */
  cancelScheduledSave: () => void;
  /** The server now holds `values` (a save through the form's action). */
  markSaved: (values: ReportFormValues) => void;
  /** Keeps these values on the device now (before a Submit posts: kept until the server confirms). */
  keepCopy: (values: ReportFormValues) => void;
  /** Removes the device's copy of the report with this client id (the server confirmed it). */
  forgetCopy: (clientId: string) => void;
  /**
   * The report was filed: nothing more is sent to the server under its client id, while what the
   * partner types is still kept on the device (until startNewReport or sign-out).
   */
  holdFiled: () => void;
  /** Ends holdFiled: the server does not hold this report as filed after all (Submit not received). */
  releaseHold: () => void;
  /** The form's values now belong to a new report (a new client id): saved as a new draft at once. */
  startNewReport: (values: ReportFormValues) => void;
};

/**
 * Autosave of the partner's report form, and the device's copy (scripts on only). Each change is
 * kept on the device at once (local-copy.ts: encrypted) and saved to the server AUTOSAVE_DELAY_MS after the
 * last one (autosaveReportDraft); one save at a time, a change made meanwhile saved right after.
 * A copy kept while offline or signed out is put back when the form opens and saved; it is
 * forgotten once the server holds it and when the report can no longer be saved; sign-out, the
 * quick exit and "Wipe this device" delete every copy with the whole device store (_device/wipe.ts).
 * A save that creates the report points the address at its edit page, so a reload opens it.
 */
export function useAutosave({
  form,
  accountId,
  initialValues,
  initialReportId,
  onFiled,
}: {
  form: UseFormReturn<ReportFormValues>;
  /** The signed-in partner: the browser's copies are kept per account. */
  accountId: number;
  initialValues: ReportFormValues;
  initialReportId: number | null;
  /** A save was refused because the report was filed meanwhile: `values` were not saved (kept on the device). */
  onFiled: (values: ReportFormValues) => void;
}): Autosave {
  const ownerHint = useKeptOwnerHint();
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [wasRestored, setWasRestored] = useState(false);
  const [isAutosaving, setIsAutosaving] = useState(false);
  const [reportId, setReportId] = useState(initialReportId);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const saveAgain = useRef(false);
  const isSubmitting = useRef(false);
  const isFiled = useRef(false);
  const lastSavedJson = useRef(stableJson(initialValues));
  const onFiledRef = useRef(onFiled);
  useEffect(() => {
    onFiledRef.current = onFiled;
  });

  const saveNow = async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (isSubmitting.current || isFiled.current) return;
    if (inFlight.current) {
      saveAgain.current = true;
      return;
    }
    inFlight.current = true;
    const values = form.getValues();
    const json = stableJson(values);
    setStatus({ kind: 'saving' });
    try {
      // Saved only under the account this form was rendered for (lib/auth/tab-owner.ts): another
      // partner signed in on this browser meanwhile gets nothing; the text stays here and on the device.
      const result = await autosaveReportDraft(withOwnerHint(values, ownerHint));
      if (result.ok) {
        lastSavedJson.current = json;
        setReportId(result.reportId);
        if (stableJson(form.getValues()) === json) void forgetLocalCopy(accountId, values.clientId);
        if (result.fieldErrors) {
          // Beside the fields only, as for a refusal: the values are kept on the server all the same.
          pushServerErrors(form.setError, result.fieldErrors);
          setStatus({ kind: 'savedWithProblems' });
        } else {
          setStatus({ kind: 'saved', at: result.savedAt });
        }
        const editPath = `/partner/reports/${result.reportId}/edit`;
        if (window.location.pathname !== editPath && /\/partner\/reports\/(new|\d+\/edit)$/.test(window.location.pathname)) {
          // A reload now opens this draft instead of an empty form (or the report this text left).
          window.history.replaceState(null, '', editPath);
        }
      } else if (result.code === 'sessionExpired' || result.code === 'otherAccount') {
        // Signed out, or this browser is now signed in as another account: nothing was saved; the
        // text stays here and on the device, saved again at the next change or focus.
        setStatus({ kind: result.code });
      } else if (result.code === 'invalid') {
        // Beside the fields only: a summary popping up at the top while typing would move the page.
        pushServerErrors(form.setError, result.fieldErrors);
        setStatus({ kind: 'invalid' });
      } else if (result.code === 'notEditable') {
        // Filed meanwhile (another tab, a Submit whose answer was lost): the text is not lost; the
        // form asks what became of the report and offers it as a new report if it differs.
        isFiled.current = true;
        void keepLocalCopy(accountId, form.getValues());
        setStatus({ kind: 'idle' });
        onFiledRef.current(values);
      } else {
        // Not this partner's, or a draft they deleted: this copy can never be saved.
        void forgetLocalCopy(accountId, values.clientId);
        if (values.clientId !== initialValues.clientId) {
          form.reset(initialValues);
          lastSavedJson.current = stableJson(initialValues);
        }
        setStatus({ kind: 'refused', message: result.messageKey });
      }
    } catch {
      setStatus({ kind: 'offline' });
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
    const values = form.getValues();
    if (stableJson(values) === lastSavedJson.current) return;
    // Kept on the device at once, whatever happens next (a Submit in flight or a filed report too).
    void keepLocalCopy(accountId, values);
    if (isSubmitting.current || isFiled.current) return;
    setStatus((current) => (current.kind === 'sessionExpired' || current.kind === 'otherAccount' || current.kind === 'offline' ? current : { kind: 'unsaved' }));
    scheduleSave();
  };

  // Once scripts run: watch for changes, then restore a copy this device kept (read from the
  // encrypted store, asynchronously: put back only while the partner has not typed meanwhile).
  useEffect(() => {
    let isMounted = true;
    const unsubscribe = form.subscribe({ formState: { values: true }, callback: () => onValuesChanged() });
    // Autosave starts here, in the browser only (no server render can say it).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setIsAutosaving(true);
    // A new form opened for a report the outbox could not send (the list's link): that report's copy.
    const wanted = initialReportId === null ? new URLSearchParams(window.location.search).get('copy') : null;
    void readLocalCopies(accountId).then((copies) => {
      if (!isMounted || stableJson(form.getValues()) !== stableJson(initialValues)) return;
      const own = copies.find((copy) => copy.values.clientId === (wanted ?? initialValues.clientId));
      // A new form picks up the newest unsaved copy (e.g. a report typed while signed out).
      const copy = own ?? (initialReportId === null ? copies[0] : undefined);
      if (!copy || stableJson(copy.values) === stableJson(initialValues)) return;
      // The form holds it now: the outbox no longer lists it as refused.
      if (wanted !== null && copy.values.clientId === wanted) void forgetRefused(accountId, wanted);
      form.reset(copy.values);
      setWasRestored(true);
      void saveNow();
    });
    const onOnline = () => {
      if (stableJson(form.getValues()) !== lastSavedJson.current) void saveNow();
    };
    window.addEventListener('online', onOnline);
    // Back from signing in again in another tab: try the unsaved change at once.
    window.addEventListener('focus', onOnline);
    return () => {
      isMounted = false;
      unsubscribe();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('focus', onOnline);
      if (timer.current) clearTimeout(timer.current);
    };
    // Runs once per mounted form; the handlers read refs and the form's own store.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return {
    status,
    setStatus,
    reportId,
    wasRestored,
    isAutosaving,
    saveNow: () => void saveNow(),
    beginSubmit: () => {
      if (isSubmitting.current) return false;
      isSubmitting.current = true;
      return true;
    },
    endSubmit: () => {
      isSubmitting.current = false;
    },
    cancelScheduledSave: () => {
      if (timer.current) clearTimeout(timer.current);
    },
    markSaved: (values) => {
      lastSavedJson.current = stableJson(values);
    },
    keepCopy: (values) => void keepLocalCopy(accountId, values),
    forgetCopy: (clientId) => void forgetLocalCopy(accountId, clientId),
    holdFiled: () => {
      isFiled.current = true;
      if (timer.current) clearTimeout(timer.current);
    },
    releaseHold: () => {
      isFiled.current = false;
    },
    startNewReport: (values) => {
      isFiled.current = false;
      isSubmitting.current = false;
      lastSavedJson.current = '';
      setReportId(null);
      void keepLocalCopy(accountId, values);
      void saveNow();
    },
  };
}
