/**
 * Test helpers for the report modules: the demo reports of db/seed-data/demo-reports.json as the
 * form's values and as the HTML form's FormData. Used by unit tests only.
 */
import { randomUUID } from 'node:crypto';
import demoReports from '@/db/seed-data/demo-reports.json';
import type { ReportFormValues } from './form-values';
import { fixtureReportToFormValues } from './fixture-values';

type DemoReport = (typeof demoReports.reports)[number];

function demoReport(index: number): DemoReport {
  const report = demoReports.reports[index];
  if (!report) throw new RangeError(`No demo report ${index}`);
  return report;
}

/** Demo report `index` (0 = the first) mapped from its snake_case fields to the form's values. */
export function demoReportValues(index: number): ReportFormValues {
  return fixtureReportToFormValues(demoReport(index));
}

/** Demo report `index` as the form's values with a client id of its own (a new report each call). */
export function freshDemoReportValues(index = 0): ReportFormValues {
  return { ...demoReportValues(index), clientId: randomUUID() };
}

/**
 * The FormData a browser would post for these values through the HTML report form: one entry per
 * field, rows as `section.index.field`, an unchecked checkbox left out, plus the pressed button.
 */
export function toReportFormData(values: ReportFormValues, intent = 'submit'): FormData {
  const formData = new FormData();
  const { vehicles, goods, agencies, ...scalars } = values;
  for (const [key, value] of Object.entries(scalars)) formData.append(key, value);
  vehicles.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) {
      if (field === 'isEstimate') {
        if (value === true) formData.append(`vehicles.${i}.isEstimate`, 'on');
      } else {
        formData.append(`vehicles.${i}.${field}`, String(value));
      }
    }
  });
  goods.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) formData.append(`goods.${i}.${field}`, value);
  });
  agencies.forEach((row, i) => {
    for (const [field, value] of Object.entries(row)) formData.append(`agencies.${i}.${field}`, value);
  });
  formData.append('intent', intent);
  return formData;
}
