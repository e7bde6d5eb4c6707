'use client';

import { useTranslations } from 'next-intl';
import { FieldError } from '@/app/_components/report-form/fields';
import { fieldId, useReportFormKit } from '@/app/_components/report-form/form-kit';
import type { ReportTimeChoices } from '@/lib/reports/outcomes';

/**
 * The partner's "which one?" question for a local time that happened twice (a clock change):
 * radios with both offsets, shown once the server found the time ambiguous (`options`); until
 * then the answer travels as a hidden field, so a round trip keeps it.
 */
export function TimeChoice({ field, options }: { field: 'observedFrom' | 'observedTo'; options: ReportTimeChoices[keyof ReportTimeChoices] }) {
  const t = useTranslations();
  const { valueAt, register, errorsAt } = useReportFormKit();
  const choiceField = field === 'observedFrom' ? 'observedFromChoice' : 'observedToChoice';
  const current = String(valueAt(choiceField) ?? '');
  if (!options) return <input type="hidden" defaultValue={current} {...register(choiceField)} />;
  return (
    <fieldset id={fieldId(choiceField)} aria-describedby={errorsAt(choiceField).length > 0 ? `${fieldId(choiceField)}-error` : undefined}>
      <legend>{t('report.timeChoice.legend')}</legend>
      {(['earlier', 'later'] as const).map((choice) => (
        <label key={choice}>
          <input type="radio" value={choice} defaultChecked={current === choice} {...register(choiceField)} />{' '}
          {t(`report.timeChoice.${choice}`, { offset: options[choice].offsetLabel })}
        </label>
      ))}
      <FieldError path={choiceField} />
    </fieldset>
  );
}
