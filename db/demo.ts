/**
 * `npm run demo`: the one-command demo. Creates and migrates the database in DATA_DIR (default
 * ./data), seeds the reference lists, the demo accounts and the demo reports, builds the app and
 * serves it on http://localhost:3000 (PORT overrides). Demo mode (FIELD_REPORTS_DEMO=1) exempts
 * only the demo accounts from required two-factor sign-in.
 */
import { spawnSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { closeDb, getDataDir } from './client';
import { seedDatabase } from './seed';
import { DEMO_ACCOUNTS, demoPasswordFor } from './accounts-seed';

/** A stable random secret for the demo, kept in the data directory (never printed). */
function demoSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(getDataDir(), 'demo-nextauth-secret');
  fs.mkdirSync(getDataDir(), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(48).toString('base64'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

async function main() {
  process.env.FIELD_REPORTS_DEMO = '1';
  await seedDatabase({ demo: true });
  const { seedDemoReports } = await import('./demo-reports');
  await seedDemoReports();
  closeDb();

  const env = { ...process.env, NEXTAUTH_SECRET: demoSecret(), FIELD_REPORTS_DEMO: '1', NEXT_TELEMETRY_DISABLED: '1' };
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
  const server = spawn(nextBin, ['start', '-p', port], { stdio: 'inherit', env: serverEnv });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
