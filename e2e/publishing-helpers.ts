/**
 * E2E helpers for publishing: seed a verified report (a copy of demo report 1 with its rows,
 * written straight into the test server's database with better-sqlite3) and publish it through
 * the editor's UI.
 *
 * One deliberate difference from demo report 1: its gazetteer place is Hyesan (a city in Yanggang
 * Province) instead of the Amrok river. The river has no province above it in the gazetteer, so
 * the default coarsening (province) shows it as "North Korea"; placing the copy in Hyesan is what
 * lets the specs check that the default shows "Yanggang Province" and never the city.
 */
import crypto from 'node:crypto';
import type { Browser } from '@playwright/test';
import demoReports from '../db/seed-data/demo-reports.json';
import { expect, openTestDb, signInAs } from './fixtures';

const demo = demoReports.reports[0]!;

/** What the specs look for in every public response (none of it may appear). */
export const DEMO_SECRETS = {
  safetyNote: demo.safety_note,
  placeDetail: demo.place_detail,
  codeName: demo.partner,
  timeNote: demo.time_note,
} as const;

/** Observed 2018-07-12 19:30 to 2018-07-13 04:30 in Asia/Pyongyang (UTC+9 in July 2018). */
const OBSERVED_FROM_UTC = Date.UTC(2018, 6, 12, 10, 30);
const OBSERVED_TO_UTC = Date.UTC(2018, 6, 12, 19, 30);

export type SeededReport = { reportId: number; title: string };

/**
 * Insert a copy of demo report 1 by partner-k17, in `status` (default 'verified'), with a unique
 * title, its four vehicle and four goods rows, observed `shiftMs` later than the demo (default 0).
 * Returns its internal id and title.
 */
export function seedDemoReportCopy({ status = 'verified', shiftMs = 0 }: { status?: string; shiftMs?: number } = {}): SeededReport {
  const title = `${demo.title} [${crypto.randomBytes(4).toString('hex')}]`;
  const db = openTestDb();
  try {
    const author = db.prepare('SELECT id FROM accounts WHERE code_name = ?').get(demo.partner) as { id: number };
    const insert = db.transaction(() => {
      const report = db
        .prepare(
          `INSERT INTO reports (client_id, author_id, status, version, observed_from, observed_to, time_zone, time_note,
             place_id, place_detail, place_precision, title, narrative, source_type, safety_note,
             source_reliability, information_credibility, submitted_at)
           VALUES (?, ?, ?, 1, ?, ?, ?, ?, 'kp-hyesan', ?, ?, ?, ?, ?, ?, 'B', '2', ?) RETURNING id`,
        )
        .get(
          crypto.randomUUID(),
          author.id,
          status,
          OBSERVED_FROM_UTC + shiftMs,
          OBSERVED_TO_UTC + shiftMs,
          demo.time_zone,
          demo.time_note,
          demo.place_detail,
          demo.place_precision,
          title,
          demo.narrative,
          demo.source_type,
          demo.safety_note,
          Date.UTC(2018, 6, 14),
        ) as { id: number };
      demo.vehicles.forEach((v, position) =>
        db
          .prepare(
            `INSERT INTO report_vehicles (report_id, position, vehicle_type, count, is_estimate, direction, colours, cargo)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(report.id, position, v.type, v.count, v.estimate ? 1 : 0, v.direction, v.colours, v.cargo),
      );
      demo.goods.forEach((g, position) =>
        db
          .prepare('INSERT INTO report_goods (report_id, position, category_id, description, direction) VALUES (?, ?, ?, ?, ?)')
          .run(report.id, position, g.category, g.description, g.direction),
      );
      return report.id;
    });
    return { reportId: insert(), title };
  } finally {
    db.close();
  }
}

/** Total vehicles of demo report 1 (12 buses + 25 + 18 trucks + 10 cars). */
export const DEMO_VEHICLE_TOTAL = demo.vehicles.reduce((sum, v) => sum + v.count, 0);

/** A report's status and version, read from the database. */
export function readReport(reportId: number): { status: string; version: number } {
  const db = openTestDb();
  try {
    return db.prepare('SELECT status, version FROM reports WHERE id = ?').get(reportId) as { status: string; version: number };
  } finally {
    db.close();
  }
}

/**
 * Sign in as the demo editor in a fresh browser context, open the publish page, preview with the
 * default choices, publish, and return the public id from the "Open the public page" link.
 */
export async function publishThroughEditorUi(browser: Browser, reportId: number): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByRole('heading', { name: 'Preview: exactly what readers will see' })).toBeVisible();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByText('Published. The public page now shows this snapshot.')).toBeVisible();
    const href = await page.getByRole('link', { name: 'Open the public page' }).getAttribute('href');
    const publicId = /^\/reports\/([A-Za-z0-9_-]{16})$/.exec(href ?? '')?.[1];
    if (!publicId) throw new Error(`No public link on the publish page: ${href}`);
    return publicId;
  } finally {
    await context.close();
  }
}

/** Retract through the editor's UI with `reason`. */
export async function retractThroughEditorUi(browser: Browser, reportId: number, reason: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signInAs(page, 'editor');
    await page.goto(`/editor/reports/${reportId}/publish`);
    await page.getByLabel('Reason (shown publicly)').fill(reason);
    await page.getByLabel('I am sure: retract this publication. A retraction is final.').check();
    await page.getByRole('button', { name: 'Retract publication' }).click();
    await expect(page.getByText('Retracted. The public page now shows only the retraction notice')).toBeVisible();
  } finally {
    await context.close();
  }
}
