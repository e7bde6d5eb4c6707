/**
 * `npm run demo`: the one-command demo. Creates and migrates the database in DATA_DIR (default
 * ./data), seeds the reference lists, the demo accounts and the demo reports, imports the official
 * trade sample and prints what its checks say (scripts/demo-official.ts), builds the app and
 * serves it with the app's own server (server.ts) on http://localhost:3000, listening on 127.0.0.1
 * only (HOST and PORT override; the passwords below are public, so never HOST=0.0.0.0). The data is encrypted with a demo key file
 * beside DATA_DIR (see demoKeyFile). Demo mode (FIELD_REPORTS_DEMO=1) exempts
 * only the demo accounts from required two-factor sign-in.
 *
 * `npm run demo -- --synthetic=300` also publishes that many synthetic reports over the last six
 * months (scripts/demo-synthetic.ts; labelled synthetic in their public text; refused when
 * NODE_ENV=production), so the map and the charts show something.
 */
import { spawnSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KeyError, newKeyFileText } from '@/lib/at-rest/keys';
import { closeDb, getDatabasePath, getDataDir } from '@/db/client';
import { seedDatabase } from './seed';
import { DEMO_ACCOUNTS, demoPasswordFor } from './accounts-seed';
import { parseSyntheticOption, SyntheticRefusedError } from './demo-synthetic';

/**
 * The demo's key file: DATA_DIR's sibling `<DATA_DIR>.demo-key` (./data.demo-key by default),
 * made on first run, owner-only. Demo only: it sits outside DATA_DIR as the rule asks, but on the
 * same disk, so it protects nothing against a copied disk (docs/security/encryption-at-rest.md).
 * An operator's FIELD_REPORTS_KEY_FILE wins.
 */
function demoKeyFile(): string {
  if (process.env.FIELD_REPORTS_KEY_FILE) return process.env.FIELD_REPORTS_KEY_FILE;
  const file = `${getDataDir()}.demo-key`;
  if (!fs.existsSync(file)) {
    if (fs.existsSync(getDatabasePath())) {
      throw new Error(`${getDatabasePath()} exists but its demo key file ${file} does not: the data cannot be opened. Delete ${getDataDir()} to start the demo afresh (or run \`npm run encrypt-data\` if it is an older plain-text demo).`);
    }
    fs.writeFileSync(file, newKeyFileText(), { mode: 0o600, flag: 'wx' });
  }
  return file;
}

/**
 * A stable random session secret for the demo (never printed), beside the demo key file rather
 * than in DATA_DIR, so a copy of the data folder cannot mint session cookies for this demo.
 */
function demoSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = `${getDataDir()}.demo-nextauth-secret`;
  fs.rmSync(path.join(getDataDir(), 'demo-nextauth-secret'), { force: true }); // where older demos kept it
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(48).toString('base64'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

async function main() {
  // Checked before anything is written: a bad or refused --synthetic changes nothing.
  const synthetic = parseSyntheticOption(process.argv.slice(2), process.env.NODE_ENV);
  process.env.FIELD_REPORTS_DEMO = '1';
  process.env.FIELD_REPORTS_KEY_FILE = demoKeyFile();
  await seedDatabase({ demo: true });
  const { seedDemoReports } = await import('./demo-reports');
  await seedDemoReports();
  const { importOfficialSample } = await import('./demo-official');
  await importOfficialSample();
  if (synthetic !== null) {
    console.log(`Publishing ${synthetic} synthetic reports (labelled as such) …`);
    const { seedSyntheticReports } = await import('./demo-synthetic');
    const { created, existing } = await seedSyntheticReports({ count: synthetic, log: (line) => console.log(line) });
    console.log(`Synthetic reports: ${created} published now, ${existing} there already.`);
  }
  closeDb();

  const env = { ...process.env, NEXTAUTH_SECRET: demoSecret(), FIELD_REPORTS_DEMO: '1', NEXT_TELEMETRY_DISABLED: '1', FIELD_REPORTS_KEY_FILE: process.env.FIELD_REPORTS_KEY_FILE };
  const nextBin = path.join(process.cwd(), 'node_modules', '.bin', 'next');
  if (process.env.SKIP_BUILD !== '1') {
    const build = spawnSync(nextBin, ['build'], { stdio: 'inherit', env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const port = process.env.PORT ?? '3000';
  console.log(`\nField Reports demo on http://localhost:${port}`);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(7)} ${a.codeName.padEnd(12)} password: ${demoPasswordFor(a.codeName)}`);
  // next-auth's own endpoints build absolute URLs from NEXTAUTH_URL (else http://localhost:3000).
  const serverEnv = { ...env, NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}` };
  // `npm start`'s command (package.json); HOST defaults to 127.0.0.1 there.
  const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { stdio: 'inherit', env: { ...serverEnv, PORT: port } });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  // A key problem is the operator's to fix: its message says how; a stack trace would only hide it.
  console.error(error instanceof KeyError || error instanceof SyntheticRefusedError ? `Cannot start the demo: ${error.message}` : error);
  process.exit(1);
});
