/**
 * A report as the fixtures write it (db/seed-data/demo-reports.json: snake_case, numbers as
 * numbers) mapped field for field to the report form's values, unchanged otherwise. Shared by the
 * demo seed (scripts/demo-reports.ts) and the unit tests (lib/testing/reports.ts).
 */
import type demoReports from '@/db/seed-data/demo-reports.json';
import type { ReportFormValues } from './form-values';

export type FixtureReport = (typeof demoReports.reports)[number];
type FixtureGoods = { category: string; description: string; direction: string; quantity?: number; unit?: string; value?: number; currency?: string };
type FixtureAgency = { agency: string; role: string; note: string; other_name?: string };

/** Map one fixture report to form values (text as typed; no rule applied). */
export function fixtureReportToFormValues(report: FixtureReport): ReportFormValues {
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
    goods: (report.goods as FixtureGoods[]).map((goods) => ({
      categoryId: goods.category,
      description: goods.description,
      direction: goods.direction,
      quantity: goods.quantity === undefined ? '' : String(goods.quantity),
      unit: goods.unit ?? '',
      value: goods.value === undefined ? '' : String(goods.value),
      currency: goods.currency ?? '',
    })),
    agencies: (report.agencies as FixtureAgency[]).map((agency) => ({
      agencyId: agency.agency,
      otherName: agency.other_name ?? '',
      role: agency.role,
      note: agency.note,
    })),
  };
}
