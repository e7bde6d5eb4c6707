/**
 * Test helpers for the report modules: the demo reports of db/seed-data/demo-reports.json as the
 * form's values and as the HTML form's FormData. Used by unit tests only.
 */
import demoReports from '@/db/seed-data/demo-reports.json';
import type { ReportFormValues } from './schema';

type DemoReport = (typeof demoReports.reports)[number];

function demoReport(index: number): DemoReport {
  const report = demoReports.reports[index];
  if (!report) throw new RangeError(`No demo report ${index}`);
  return report;
}

type DemoGoods = { category: string; description: string; direction: string; quantity?: number; unit?: string; value?: number; currency?: string };
type DemoAgency = { agency: string; role: string; note: string; other_name?: string };

/** Demo report `index` (0 = the first) mapped from its snake_case fields to the form's values. */
export function demoReportValues(index: number): ReportFormValues {
  const report = demoReport(index);
  return {
    clientId: report.client_id,
    observedFrom: report.observed_from,
    observedFromChoice: '',
    observedTo: report.observed_to,
    observedToChoice: '',
    timeZone: report.time_zone,
    timeNote: report.time_note,
    placeId: report.place,
    placeDetail: report.place_detail,
    placePrecision: report.place_precision,
    title: report.title,
    narrative: report.narrative,
    sourceType: report.source_type,
    safetyNote: report.safety_note,
    vehicles: report.vehicles.map((vehicle) => ({
      vehicleType: vehicle.type,
      count: String(vehicle.count),
      isEstimate: vehicle.estimate,
      direction: vehicle.direction,
      colours: vehicle.colours,
      cargo: vehicle.cargo,
    })),
    goods: (report.goods as DemoGoods[]).map((goods) => ({
      categoryId: goods.category,
      description: goods.description,
      direction: goods.direction,
      quantity: goods.quantity === undefined ? '' : String(goods.quantity),
      unit: goods.unit ?? '',
      value: goods.value === undefined ? '' : String(goods.value),
      currency: goods.currency ?? '',
    })),
    agencies: (report.agencies as DemoAgency[]).map((agency) => ({
      agencyId: agency.agency,
      otherName: agency.other_name ?? '',
      role: agency.role,
      note: agency.note,
    })),
  };
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
