'use client';

import { useEffect, useRef } from 'react';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { DATE_TIME_UTC } from '@/lib/i18n/formats';
import type { FiledReport } from '@/lib/reports/outcomes';
import type { ReportFateState } from './use-report-fate';

/**
 * A report filed already, and this text not sent (a Submit or save refused): when and what became
 * of it, a link to it, and a submit button "Start a new report from this text" (intent
 * 'new-from-text': a plain form post without scripts, handled in place with them). Focused when it
 * appears, so the partner and a screen reader hear it at once.
 */
export function FiledNotice({ filed, isEnhanced }: { filed: FiledReport; isEnhanced: boolean }) {
  const t = useTranslations('report.form.filed');
  const tLost = useTranslations('report.form.lost');
  const format = useFormatter();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (isEnhanced) box.current?.focus();
  }, [filed, isEnhanced]);
  return (
    <div ref={box} role="alert" className="notice warn" tabIndex={-1} id="report-filed">
      <p>{t('message', { status: filed.status, date: format.dateTime(new Date(filed.at), DATE_TIME_UTC) })}</p>
      <p>
        <a href={`/partner/reports/${filed.reportId}`}>{tLost('open')}</a>
      </p>
      <button type="submit" name="intent" value="new-from-text" className="secondary">
        {t('newFromText')}
      </button>
    </div>
  );
}

/** What became of a Submit whose answer was lost (scripts on only): checking, submitted (with a link), or not received. */
export function LostSubmitNotice({ fate }: { fate: Exclude<ReportFateState, { kind: 'filed' }> }) {
  const t = useTranslations('report.form.lost');
  const locale = useLocale();
  switch (fate.kind) {
    case 'checking':
      return (
        <p role="status" className="notice warn">
          {t('checking')}
        </p>
      );
    case 'submitted':
      return (
        <p role="status" className="notice ok">
          {t('submitted', { time: new Date(fate.at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) })}{' '}
          <a href={`/partner/reports/${fate.reportId}`}>{t('open')}</a>
        </p>
      );
    case 'notReceived':
      return (
        <p role="status" className="notice warn">
          {t('notReceived')}
        </p>
      );
  }
}
