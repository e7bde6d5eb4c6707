/**
 * Test server for Playwright: a fresh encrypted database (migrated, reference lists, demo accounts
 * and demo reports) in E2E_DATA_DIR with a key file beside it (FIELD_REPORTS_KEY_FILE), a production build (reused when BUILD=0), and the app's own server
 * (server.ts, as `npm start` runs it) on 127.0.0.1:E2E_PORT.
 * The server's stdout/stderr also go to E2E_DATA_DIR/server.log so specs can check what it logs.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

async function main() {
  const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? './data/e2e');
  const port = process.env.E2E_PORT ?? '3100';
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.DATA_DIR = dataDir;
  // The data key: a key file beside (not inside) E2E_DATA_DIR, made when missing (a spec may bring
  // its own, e.g. the key its passphrase gives).
  const keyFile = path.resolve(process.env.FIELD_REPORTS_KEY_FILE ?? `${dataDir}.key`);
  if (!fs.existsSync(keyFile)) {
    const { newKeyFileText } = await import('../lib/at-rest/keys');
    fs.writeFileSync(keyFile, newKeyFileText(), { mode: 0o600 });
  }
  process.env.FIELD_REPORTS_KEY_FILE = keyFile;
  process.env.FIELD_REPORTS_DEMO = '1';
  const { seedDatabase } = await import('../scripts/seed');
  const { seedDemoReports } = await import('../scripts/demo-reports');
  const { closeDb } = await import('../db/client');
  await seedDatabase({ demo: true });
  await seedDemoReports();
  closeDb();

  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    FIELD_REPORTS_DEMO: '1',
    NODE_ENV: 'production' as const,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXTAUTH_SECRET: crypto.randomBytes(48).toString('base64'),
    // As in production (README): without it next-auth's own endpoints redirect to localhost:3000.
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    SESSION_MAX_AGE_HOURS: process.env.SESSION_MAX_AGE_HOURS ?? '8',
    // Loopback only, as in production. Playwright's baseURL says localhost: Chromium and Node's
    // clients try every address localhost has, so 127.0.0.1 answers it.
    HOST: '127.0.0.1',
    PORT: port,
    // The specs are the loopback "proxy": per-test X-Forwarded-For addresses keep their own sign-in
    // throttle buckets (as clients behind a reverse proxy would), instead of all sharing 127.0.0.1.
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES ?? 'loopback',
  };
  const nextBin = path.join(process.cwd(), 'node_modules', '.bin', 'next');
  if (process.env.BUILD !== '0') {
    const build = spawnSync(nextBin, ['build'], { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const log = fs.createWriteStream(path.join(dataDir, 'server.log'));
  // `npm start`'s command (package.json), without npm in between so signals reach the server.
  const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (chunk) => {
    log.write(chunk);
    process.stdout.write(chunk);
  });
  server.stderr.on('data', (chunk) => {
    log.write(chunk);
    process.stderr.write(chunk);
  });
  const stop = () => server.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
