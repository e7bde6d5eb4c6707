/**
 * Page object for the partner's report form, used by the partner-*.spec.ts files. Every step goes
 * through the form's labels and buttons, so the same code drives the form with scripts on (rows
 * added in place) and off (each row button is a round trip to the server). The form keeps blank
 * vehicle and goods rows ready; agencies are a checklist of the managed list.
 */
import { randomUUID } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';
import agencyList from '../db/seed-data/agencies.json';
import demoReports from '../db/seed-data/demo-reports.json';

/** The report form's values as the demo fixture writes them (snake_case). */
export type DemoReport = (typeof demoReports.reports)[number];
type DemoGoods = { category: string; description: string; direction: string; quantity?: number; unit?: string; value?: number; currency?: string };
type DemoAgency = { agency: string; role: string; note: string; other_name?: string };

/** Demo report `index` of db/seed-data/demo-reports.json (0 = the first). */
export function demoReport(index: number): DemoReport {
  const report = demoReports.reports[index];
  if (!report) throw new RangeError(`No demo report ${index}`);
  return report;
}

/** A field by its visible label (required fields add " *" and a hidden "(needed to submit)"). */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}( \\*)?( \\(needed to submit\\))?$`));
}

/** The fieldset of one row: 'Vehicle sighting 2', 'Goods 1'. */
export function row(page: Page, legend: string): Locator {
  return page.getByRole('group', { name: legend, exact: true });
}

/** The English name of a managed agency ('police' → 'Police (Ministry of Social Security)'), or the "other" line's. */
export function agencyName(agencyId: string): string {
  if (agencyId === 'other') return 'Other (not in the list)';
  const agency = agencyList.agencies.find((a) => a.id === agencyId);
  if (!agency) throw new RangeError(`No agency ${agencyId}`);
  return agency.name_en;
}

/** One line of the agency checklist (its box, and while ticked its role, note, other name). */
export function agencyLine(page: Page, agencyId: string): Locator {
  return page.getByRole('group', { name: agencyName(agencyId), exact: true });
}

/** Row `n` (1-based) of a row section, pressing Add when the blank rows kept ready run out. */
async function rowToFill(page: Page, legend: string, addButton: string): Promise<Locator> {
  const group = row(page, legend);
  if ((await group.count()) === 0) await page.getByRole('button', { name: addButton }).click();
  await expect(group).toBeVisible();
  return group;
}

/** Every top-level text part of the report (not rows). */
export async function fillReportParts(page: Page, report: DemoReport, { title = report.title }: { title?: string } = {}) {
  await field(page, 'Observed from').fill(report.observed_from);
  await field(page, 'Observed until').fill(report.observed_to);
  await field(page, 'Time zone').selectOption(report.time_zone);
  await field(page, 'Time note').fill(report.time_note);
  await choosePlace(page, report.place);
  await field(page, 'Place detail').fill(report.place_detail);
  await field(page, 'How precise is the place?').selectOption(report.place_precision === 'city' ? 'county' : report.place_precision);
  await field(page, 'Title').fill(title);
  await field(page, 'What happened').fill(report.narrative);
  await field(page, 'Source').selectOption(report.source_type);
  await field(page, 'Safety note to the editors').fill(report.safety_note);
}

/** Chooses a place with the gazetteer search (typed, then Search), then the select. */
export async function choosePlace(page: Page, placeId: string) {
  const query = placeId === 'river-amrok' ? 'Yalu' : placeId === 'kp-hyesan' ? 'Hyesan' : 'Yanggang';
  await field(page, 'Search the gazetteer').fill(query);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByText(/places? match/)).toBeVisible();
  await field(page, 'Place').selectOption(placeId);
}

/** Fills every vehicle and goods row of the report (Add only when no blank row is left), and ticks its agencies. */
export async function fillReportRows(page: Page, report: DemoReport) {
  for (const [i, vehicle] of report.vehicles.entries()) {
    const group = await rowToFill(page, `Vehicle sighting ${i + 1}`, 'Add a vehicle sighting');
    await field(group, 'Vehicle type').selectOption(vehicle.type);
    await field(group, 'How many').fill(String(vehicle.count));
    await group.getByLabel('The number is an estimate').setChecked(vehicle.estimate);
    await field(group, 'Direction').selectOption(vehicle.direction);
    await field(group, 'Colours').fill(vehicle.colours);
    await field(group, 'Cargo').fill(vehicle.cargo);
  }
  for (const [i, goods] of (report.goods as DemoGoods[]).entries()) {
    const group = await rowToFill(page, `Goods ${i + 1}`, 'Add goods');
    await field(group, 'Category').selectOption(goods.category);
    await field(group, 'Direction').selectOption(goods.direction);
    await field(group, 'Description').fill(goods.description);
    if (goods.quantity !== undefined) await field(group, 'Quantity').fill(String(goods.quantity));
    if (goods.unit !== undefined) await field(group, 'Unit').fill(goods.unit);
    if (goods.value !== undefined) await field(group, 'Value').fill(String(goods.value));
    if (goods.currency !== undefined) await field(group, 'Currency').selectOption(goods.currency);
  }
  for (const agency of report.agencies as DemoAgency[]) {
    const line = agencyLine(page, agency.agency);
    await line.getByRole('checkbox', { name: agencyName(agency.agency) }).check();
    if (agency.other_name) await field(line, 'Name of the other agency').fill(agency.other_name);
    await field(line, 'Role').selectOption(agency.role);
    await field(line, 'Note').fill(agency.note);
  }
}

/** Checks that every row of the report is in the form as it was typed. */
export async function expectReportRows(page: Page, report: DemoReport) {
  for (const [i, vehicle] of report.vehicles.entries()) {
    const group = row(page, `Vehicle sighting ${i + 1}`);
    await expect(field(group, 'Vehicle type')).toHaveValue(vehicle.type);
    await expect(field(group, 'How many')).toHaveValue(String(vehicle.count));
    await expect(group.getByLabel('The number is an estimate')).toBeChecked({ checked: vehicle.estimate });
    await expect(field(group, 'Direction')).toHaveValue(vehicle.direction);
    await expect(field(group, 'Cargo')).toHaveValue(vehicle.cargo);
  }
  for (const [i, goods] of (report.goods as DemoGoods[]).entries()) {
    const group = row(page, `Goods ${i + 1}`);
    await expect(field(group, 'Category')).toHaveValue(goods.category);
    await expect(field(group, 'Direction')).toHaveValue(goods.direction);
    await expect(field(group, 'Description')).toHaveValue(goods.description);
  }
  for (const agency of report.agencies as DemoAgency[]) {
    const line = agencyLine(page, agency.agency);
    await expect(line.getByRole('checkbox', { name: agencyName(agency.agency) })).toBeChecked();
    await expect(field(line, 'Role')).toHaveValue(agency.role);
    await expect(field(line, 'Note')).toHaveValue(agency.note);
  }
}

/** A title no other test uses, so each spec finds its own report. */
export function uniqueTitle(prefix: string): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

/** The id in a /partner/reports/<id> URL. */
export function reportIdFromUrl(url: string): number {
  const match = /\/partner\/reports\/(\d+)/.exec(url);
  if (!match?.[1]) throw new Error(`Not a report URL: ${url}`);
  return Number(match[1]);
}
