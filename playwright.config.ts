import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';
import path from 'node:path';

/**
 * End-to-end tests drive a production build in Debian's Chromium (no browser downloads here).
 * The server (e2e/server.ts) starts on a fresh database in E2E_DATA_DIR every run.
 * E2E_PORT and NEXT_DIST_DIR let several checkouts run suites side by side.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? './data/e2e');
process.env.E2E_DATA_DIR = dataDir;
// Specs that open the test server's database act on its data directory.
process.env.DATA_DIR = dataDir;
// The data key of the test server's (encrypted) database: written afresh by e2e/server.ts each
// run, outside E2E_DATA_DIR as in production; specs that open the database read it too.
const keyFile = `${dataDir}.key`;
process.env.FIELD_REPORTS_KEY_FILE = keyFile;
process.env.E2E_BASE_URL = `http://localhost:${port}`;

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync('command -v chromium', { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Debian chromium not found: run `apt-get install -y chromium` (.ci/run does).');
  }
}

/** The server-log spec reads what every other spec made the server print, so it runs after them. */
const SERVER_LOG_SPEC = /security-server-log\.spec\.ts$/;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  projects: [
    { name: 'app', testIgnore: SERVER_LOG_SPEC },
    { name: 'server log', testMatch: SERVER_LOG_SPEC, dependencies: ['app'] },
  ],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node_modules/.bin/tsx --conditions=react-server e2e/server.ts',
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { E2E_PORT: String(port), E2E_DATA_DIR: dataDir, FIELD_REPORTS_KEY_FILE: keyFile },
  },
});
