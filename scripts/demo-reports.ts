/**
 * Demo reports (db/seed-data/demo-reports.json), filed through the report data layer as their
 * partner would: 'draft' ones saved as drafts, every other one submitted ('in_review' and
 * 'published' stay submitted here; the review and publishing domains advance them). Idempotent by
 * client id: a report whose client id exists is left as it is.
 *
 * Runs under `tsx --conditions=react-server` (the e2e server and `npm run demo`), so the
 * server-only data layer can be imported.
 */
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { accounts, reports } from '@/db/schema';
import demoReports from '@/db/seed-data/demo-reports.json';
import type { ReportFormValues } from '@/lib/reports/form-values';
import { fixtureReportToFormValues } from '@/lib/reports/fixture-values';

type DemoReport = (typeof demoReports.reports)[number];

/**
 * The fixture's place precision as one of PLACE_PRECISIONS. The fixture uses 'city' once; cities
 * and counties are the same administrative level in North Korea, so it is filed as 'county'.
 */
function demoPlacePrecision(value: string): string {
  return value === 'city' ? 'county' : value;
}

/**
 * The fixture's place as a gazetteer id. Demo report 1 names the whole river ('river-amrok') with
 * the detail "upper reaches, northern Yanggang Province"; a river spans several provinces and has
 * no province above it, so coarsening could only say "North Korea". Our gazetteer adds river
 * stretches under their province, and the demo files that report on the Yanggang stretch, as a
 * partner choosing from our list would.
 */
function demoPlaceId(report: DemoReport): string {
  return report.place === 'river-amrok' && /yanggang/i.test(report.place_detail) ? 'river-amrok-yanggang' : report.place;
}

/** A demo report (snake_case, as the fixture writes it) as the report form's values. */
export function demoReportFormValues(report: DemoReport): ReportFormValues {
  return {
    ...fixtureReportToFormValues(report),
    placeId: demoPlaceId(report),
    placePrecision: demoPlacePrecision(report.place_precision),
  };
}

/**
 * Files every demo report not yet in the database through saveDraft / submitReport, as its
 * partner (by code name; a report whose partner account is missing is skipped with a warning).
 * Throws when the data layer refuses a demo report (the fixture and the rules disagree).
 */
export async function seedDemoReports(): Promise<void> {
  const { saveDraft } = await import('@/lib/reports/drafts');
  const { submitReport } = await import('@/lib/reports/submit');
  const db = getDb();
  for (const report of demoReports.reports) {
    const exists = db.select({ id: reports.id }).from(reports).where(eq(reports.clientId, report.client_id)).get();
    if (exists) continue;
    const partner = db
      .select({ id: accounts.id, role: accounts.role })
      .from(accounts)
      .where(sql`${accounts.codeName} = ${report.partner} COLLATE NOCASE`)
      .get();
    if (!partner || partner.role !== 'partner') {
      console.warn(`Demo report ${report.client_id}: no partner account ${report.partner}; skipped.`);
      continue;
    }
    const values = demoReportFormValues(report);
    const result = report.demo_status === 'draft' ? saveDraft({ actor: partner, values }) : submitReport({ actor: partner, values });
    if (!result.ok) throw new Error(`Demo report ${report.client_id} refused: ${JSON.stringify(result.fieldErrors)} ${result.formErrors.join(', ')}`);
    if (report.demo_status === 'in_review' || report.demo_status === 'published') {
      // The title the demo editor publishes, when the partner's own would break their safety note.
      await advanceAsEditor(result.reportId, report.demo_status, 'public_title' in report ? report.public_title : undefined);
    }
  }
}

/**
 * Take a submitted demo report where the demo shows it, as the demo editor would through the
 * review and publish pages: 'in_review' = claimed; 'published' = claimed, verified (B2) and
 * published with the default coarsening (province, day) and, when given, `publicTitle` instead of
 * the partner's title (demo report 1's names the stretch of river its safety note keeps out).
 * Throws if a step is refused.
 */
async function advanceAsEditor(reportId: number, target: 'in_review' | 'published', publicTitle?: string): Promise<void> {
  const { decideReport } = await import('@/lib/review/decisions');
  const { publishReportWithDefaults } = await import('@/lib/publishing/publish');
  const { findReportForActor } = await import('@/lib/lifecycle/access');
  const editor = getDb()
    .select({ id: accounts.id, role: accounts.role })
    .from(accounts)
    .where(sql`${accounts.codeName} = 'editor' COLLATE NOCASE`)
    .get();
  if (!editor) throw new Error('The demo editor account is missing.');
  const decide = (input: Record<string, string>) => {
    const current = findReportForActor({ actor: editor, reportId });
    if (!current) throw new Error(`Demo report ${reportId} is not visible to the editor.`);
    const done = decideReport({ actor: editor, reportId, version: current.version, input });
    if (!done.ok) throw new Error(`Demo report ${reportId}: ${input.action} refused (${done.messageKey}).`);
  };
  decide({ action: 'claim' });
  if (target === 'in_review') return;
  decide({ action: 'verify', sourceReliability: 'B', informationCredibility: '2', gradeNote: 'Demo grading: a partner with a good record; consistent with other reporting.' });
  const published = publishReportWithDefaults({ actor: editor, reportId, overrides: publicTitle ? { title: { en: publicTitle, ko: '' } } : {} });
  if (!published.ok) throw new Error(`Demo report ${reportId}: publish refused (${published.code}).`);
}
