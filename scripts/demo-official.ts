/**
 * The demo's official statistics (issue 21 item 5): the one real sample we have — China–North
 * Korea trade in June 2018 as quoted in public reporting (db/seed-data/official-trade-2018-06.json,
 * copied from the project's fixtures) — imported as the demo admin through the same path as the
 * admin's upload (a CSV file → preview → confirm; lib/official/store.ts), and what the checks make
 * of it printed for the operator. The figures are exactly as quoted: never corrected, never
 * completed (the sample has no source URL, so none is given). JSON numbers keep no trailing zero:
 * the quoted −92.0 % reads −92 %, whose rounding (±0.5 %) is wider than ±0.05 % — the lenient
 * reading, and moot here (no June 2017 figure is stored). Run again, it stores nothing new.
 */
import { stringify } from 'csv-stringify/sync';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { accounts } from '@/db/schema';
import sample from '@/db/seed-data/official-trade-2018-06.json';
import { confirmOfficialImport, getOfficialPreview, uploadOfficialFile } from '@/lib/official/store';
import { OFFICIAL_COLUMNS } from '@/lib/official/format';

/** The sample as a file in the import format (docs/official-trade.md): one row per quoted figure. */
export function sampleCsv(): string {
  if (sample.source.unit !== 'million USD') throw new Error(`Unexpected unit in the official sample: ${sample.source.unit}`);
  const rows = sample.rows.map((row) => [row.month, 'cn_customs', row.flow, String(row.value), 'usd_million', String(row.yoy_pct), sample.source.name, '']);
  return stringify([[...OFFICIAL_COLUMNS], ...rows], { record_delimiter: 'windows' });
}

/**
 * Import the sample as the demo admin and print the preview's verdict. Throws when the demo admin
 * is missing or the import is refused (the sample and the format disagree: a bug).
 * @returns the months left flagged (not on public pages until an admin confirms them)
 */
export async function importOfficialSample(): Promise<string[]> {
  const admin = getDb()
    .select({ id: accounts.id, role: accounts.role })
    .from(accounts)
    .where(sql`${accounts.codeName} = 'admin' COLLATE NOCASE`)
    .get();
  if (!admin) throw new Error('The demo admin account is missing.');
  const bytes = new TextEncoder().encode(sampleCsv());
  const uploaded = await uploadOfficialFile({ actor: admin, file: { name: 'official-trade-2018-06.csv', size: bytes.byteLength, bytes: async () => bytes } });
  if (!uploaded.ok) throw new Error(`The official sample was refused: ${'problems' in uploaded ? uploaded.problems.join(' ') : uploaded.messageKey}`);
  const shown = getOfficialPreview({ actor: admin, importId: uploaded.importId });
  if (!shown.ok) throw new Error(`The official sample's preview was refused: ${shown.messageKey}`);
  const stored = confirmOfficialImport({ actor: admin, importId: uploaded.importId, basis: shown.preview.basis });
  if (!stored.ok) throw new Error(`The official sample was not stored: ${stored.messageKey}`);

  console.log('\nOfficial statistics: the June 2018 sample');
  console.log(`  Source: ${sample.source.name}; unit: ${sample.source.unit}.`);
  console.log('  As quoted in public reporting (ASIAPRESS, summer 2018); figures exactly as quoted, not corrected.');
  for (const row of shown.preview.rows) console.log(`  ${row.month} ${row.flow.padEnd(22)} ${row.value.padStart(8)} ${row.unit}, ${row.yoyChangePct} % y/y (${row.change})`);
  for (const month of shown.preview.months) {
    console.log(`  ${month.month}: ${month.isConsistent ? 'consistent' : 'FLAGGED'}`);
    for (const check of month.checks) console.log(`    - ${check.text}`);
  }
  console.log(
    stored.flaggedMonths.length > 0
      ? `  Stored but flagged: ${stored.flaggedMonths.join(', ')} stays off /stats and the exports until an admin corrects it or confirms it with a note (/admin/official).`
      : `  Stored (${stored.added} new, ${stored.replaced} replaced, ${stored.unchanged} unchanged).`,
  );
  return stored.flaggedMonths;
}
