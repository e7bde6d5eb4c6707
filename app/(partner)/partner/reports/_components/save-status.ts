import type { useTranslations } from 'next-intl';
import type { ReportFormState } from './form-state';

/** What the status line says about the draft (scripts on: kept by the form as saves answer). */
export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number | null }
  /** Saved as typed, but some fields do not validate yet (shown beside them). */
  | { kind: 'savedWithProblems' }
  | { kind: 'offline' }
  | { kind: 'sessionExpired' }
  /** This browser is now signed in as another account than the page's (lib/auth/tab-owner.ts). */
  | { kind: 'otherAccount' }
  | { kind: 'invalid' }
  | { kind: 'refused'; message: string }
  | { kind: 'rows' };

/** Scripts off: the status the server's last answer (the page just rendered) stands for. */
export function statusOfAnswer(state: Pick<ReportFormState, 'status' | 'message'>): SaveStatus {
  switch (state.status) {
    case 'saved':
    case 'newFromText':
      return { kind: 'saved', at: null };
    case 'savedWithProblems':
      return { kind: 'savedWithProblems' };
    case 'invalid':
      return { kind: 'invalid' };
    case 'refused':
      return state.message ? { kind: 'refused', message: state.message } : { kind: 'idle' };
    case 'rows':
    case 'searched':
      return { kind: 'rows' };
    default:
      return { kind: 'idle' };
  }
}

/**
 * The status line's text for `status` ('' for nothing to say). A new report says it is not saved
 * yet; a save's time is the partner's local time (hours and minutes, in `locale`).
 */
export function describeSaveStatus(
  status: SaveStatus,
  { t, locale, isNewReport, messageText }: { t: ReturnType<typeof useTranslations>; locale: string; isNewReport: boolean; messageText: (key: string) => string },
): string {
  switch (status.kind) {
    case 'idle':
      return isNewReport ? t('report.form.status.idle') : '';
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
    case 'otherAccount':
      return t('report.outcome.otherAccount');
    case 'invalid':
      return t('report.form.status.notSaved');
    case 'refused':
      return messageText(status.message);
    case 'rows':
      return t('report.form.status.rowsChanged');
  }
}
