'use client';

import { useTranslations } from 'next-intl';
import type { ReportFieldName, ReportFormTexts } from '@/app/_components/report-form/form-kit';
import type { TimeZoneName } from '@/lib/enums';
import type { ReportRowSection } from '@/lib/reports/form-values';
import { REPORT_LIMITS } from '@/lib/reports/limits';

/** Message groups of a row section's fields ('report.form.vehicle.count'). */
const ROW_KEYS = { vehicles: 'vehicle', goods: 'goods', agencies: 'agency' } as const satisfies Record<ReportRowSection, string>;
const ADD_KEYS = { vehicles: 'addVehicle', goods: 'addGoods', agencies: 'addAgency' } as const satisfies Record<ReportRowSection, string>;
const REMOVE_KEYS = { vehicles: 'removeVehicle', goods: 'removeGoods', agencies: 'removeAgency' } as const satisfies Record<ReportRowSection, string>;
const TIME_ZONE_KEYS = { 'Asia/Pyongyang': 'pyongyang', 'Asia/Shanghai': 'shanghai', UTC: 'utc' } as const satisfies Record<TimeZoneName, string>;

/**
 * The partner's words for the report form (report.form.* in lib/i18n/messages): required fields
 * marked, hints under the fields that need one, a line in an empty row section.
 */
export function usePartnerTexts(): ReportFormTexts {
  const t = useTranslations();
  const hint = (field: ReportFieldName): string | null => {
    switch (field) {
      case 'observedFrom':
      case 'observedTo':
        return t('report.form.fields.timeHint');
      case 'timeNote':
        return t('report.form.fields.timeNoteHint');
      case 'placeDetail':
        return t('report.form.fields.placeDetailHint');
      case 'narrative':
        return t('report.form.fields.narrativeHint', { max: REPORT_LIMITS.narrativeMaxChars });
      case 'safetyNote':
        return t('report.form.fields.safetyNoteHint');
      case 'goods.unit':
        return t('report.form.goods.unitHint');
      default:
        return null;
    }
  };
  return {
    section: (section) => t(`report.form.sections.${section}`),
    label: (field) => {
      const [top = '', rowField] = field.split('.');
      if (rowField !== undefined) return t(`report.form.${ROW_KEYS[top as ReportRowSection]}.${rowField}`);
      if (top === 'observedFromChoice' || top === 'observedToChoice') return t('report.timeChoice.legend');
      // The id is no field of its own; its messages are about the report as a whole.
      if (top === 'clientId') return t('report.form.fields.title');
      return t(`report.form.fields.${top}`);
    },
    hint,
    option: (group, value) =>
      group === 'timeZone' ? t(`report.form.options.timeZone.${TIME_ZONE_KEYS[value as TimeZoneName]}`) : t(`report.form.options.${group}.${value}`),
    otherAgency: t('report.form.agency.other'),
    choose: t('report.form.choose'),
    required: t('report.form.required'),
    rowLegend: (section, n) => t(`report.form.${ROW_KEYS[section]}.legend`, { n }),
    addRow: (section) => t(`report.form.buttons.${ADD_KEYS[section]}`),
    removeRow: (section, n) => t(`report.form.buttons.${REMOVE_KEYS[section]}`, { n }),
    noRows: (section) => t(`report.form.empty.${section}`),
  };
}
