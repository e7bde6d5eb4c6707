/**
 * Demo reports (db/seed-data/demo-reports.json), each left in its demo_status. Filled in as the
 * report, review and publishing domains land; idempotent by client id.
 */
export async function seedDemoReports(): Promise<void> {
  // Reports arrive with the partner report form (issue 3); nothing to seed before it exists.
}
