'use client';

import { useEffect, useRef, useState } from 'react';
import type { FiledReport } from '@/lib/reports/outcomes';
import type { ReportFormValues } from '@/lib/reports/form-values';
import { withOwnerHint } from '@/lib/reports/owner-hint';
import { useKeptOwnerHint } from '../../_device/kept-owner';
import { reportFateAction } from '../actions';

/** Waits between questions while the server cannot be reached and the browser says it is online (ms). */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/** What the form knows about a report whose answer it did not get (shown by ReportFateNotice). */
export type ReportFateState =
  /** The answer to Submit was lost: the form asks the server as soon as it can be reached. */
  | { kind: 'checking'; isSignedOut: boolean }
  /** The server holds exactly this text as filed: submitted (at: UTC ms of the submission). */
  | { kind: 'submitted'; reportId: number; at: number }
  /** The server has no filed report with this client id: Submit again. */
  | { kind: 'notReceived' }
  /** Filed already with other text: these changes were not sent (the text stays in the form). */
  | { kind: 'filed'; filed: FiledReport };

/** What {@link useReportFate} gives the form. */
export type ReportFateControl = {
  fate: ReportFateState | null;
  /** Asks the server what became of the report with these values' client id (and again until it answers). */
  check: (values: ReportFormValues) => void;
  /** Shows a known answer (a Submit refused because the report was filed already). */
  show: (fate: ReportFateState | null) => void;
};

/**
 * "What became of my report?" for the partner's form (scripts on): after the answer to a Submit
 * was lost (connection dropped, server error), or a save was refused because the report was filed
 * meanwhile, the form asks reportFateAction by the form's client id — at once, then again when the
 * browser comes back online, the window regains focus (signed in again in another tab), or after a
 * growing wait — until the server answers. `onSettled` gets the answer.
 */
export function useReportFate({ onSettled }: { onSettled: (fate: ReportFateState) => void }): ReportFateControl {
  const [fate, setFate] = useState<ReportFateState | null>(null);
  const ownerHint = useKeptOwnerHint();
  const pending = useRef<ReportFormValues | null>(null);
  const inFlight = useRef(false);
  const attempt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const settled = useRef(onSettled);
  useEffect(() => {
    settled.current = onSettled;
  });

  const ask = async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const values = pending.current;
    if (!values || inFlight.current) return;
    inFlight.current = true;
    try {
      const answer = await reportFateAction(withOwnerHint(values, ownerHint));
      if (pending.current !== values) return;
      if (!answer.ok) {
        // Signed out: asked again when the partner is back (focus) with a session.
        if (answer.code === 'sessionExpired') setFate({ kind: 'checking', isSignedOut: true });
        else throw new Error('refused');
        return;
      }
      let next: ReportFateState;
      if (!answer.found || answer.isEditable) next = { kind: 'notReceived' };
      else if (answer.matchesFiled) next = { kind: 'submitted', reportId: answer.filed.reportId, at: answer.filed.submittedAt ?? answer.filed.at };
      else next = { kind: 'filed', filed: answer.filed };
      pending.current = null;
      attempt.current = 0;
      setFate(next);
      settled.current(next);
    } catch {
      // Still no answer: offline, the 'online' event asks again; online, a growing wait does.
      if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
      const delay = RETRY_DELAYS_MS[Math.min(attempt.current, RETRY_DELAYS_MS.length - 1)] ?? 30_000;
      attempt.current += 1;
      timer.current = setTimeout(() => void ask(), delay);
    } finally {
      inFlight.current = false;
    }
  };

  useEffect(() => {
    const again = () => void ask();
    window.addEventListener('online', again);
    window.addEventListener('focus', again);
    return () => {
      window.removeEventListener('online', again);
      window.removeEventListener('focus', again);
      if (timer.current) clearTimeout(timer.current);
    };
    // The handler reads refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return {
    fate,
    check: (values) => {
      pending.current = values;
      attempt.current = 0;
      setFate({ kind: 'checking', isSignedOut: false });
      void ask();
    },
    show: (next) => {
      pending.current = null;
      if (timer.current) clearTimeout(timer.current);
      setFate(next);
    },
  };
}
