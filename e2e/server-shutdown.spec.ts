/**
 * Stopping the server (issue 16 item 16; docs/architecture.md "The server"): `npm start`'s server,
 * launched as e2e/server.ts launches it, on a database of its own. A sign-in attempt is in flight
 * (its headers read, its body not yet sent) when SIGTERM arrives: new connections are refused at
 * once, the attempt is still answered and its audit row written, and the process exits 0 having
 * checkpointed and closed the database (no -wal file with frames left; integrity_check ok).
 * Before the fix, `next start` exited about 15 ms after SIGTERM and the attempt was dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyDatabaseKey } from '../db/client';
import { deriveKey, newKeyFileText } from '../lib/at-rest/keys';
import { expect, test } from './fixtures';
import { freePort, tryConnect } from '../lib/testing/net';

const walFrames = (file: string) => fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

let root = '';
let child: ChildProcess | null = null;

test.afterAll(() => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('npm start: after SIGTERM a sign-in in flight is answered and recorded, new connections are refused, and the server exits 0 with its database closed cleanly', async () => {
  test.setTimeout(120_000);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-shutdown-'));
  const dataDir = path.join(root, 'data');
  const keyFile = path.join(root, 'data.key');
  fs.writeFileSync(keyFile, newKeyFileText(), { mode: 0o600 });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;

  // As the suite's own server: e2e/server.ts seeds the database and runs `npm start`'s command,
  // forwarding SIGTERM to it and exiting with its exit code.
  let output = '';
  child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'e2e/server.ts'], {
    env: { ...process.env, BUILD: '0', E2E_DATA_DIR: dataDir, E2E_PORT: String(port), FIELD_REPORTS_KEY_FILE: keyFile, NEXTAUTH_URL: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => child!.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let onOutput: () => void = () => {};
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    onOutput();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const outputMatches = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      onOutput = () => pattern.test(output) && resolve();
      onOutput();
    });

  await outputMatches(/Listening on port \d+, this machine only \(loopback\)/);
  await expect.poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 30_000 }).toBe(200);

  // next-auth's sign-in with a wrong password: a write to the database and the throttle store.
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const body = new URLSearchParams({ csrfToken, codeName: 'partner-k17', password: `wrong-${crypto.randomBytes(4).toString('hex')}` }).toString();

  // Expect: 100-continue — the server's "100 Continue" proves it has read the headers and the
  // request is in flight; the body is sent only after SIGTERM.
  const answer = new Promise<{ status: number }>((resolve, reject) => {
    const req = http.request(`${base}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
        origin: base,
        'sec-fetch-site': 'same-origin',
        cookie,
      },
    });
    req.on('continue', async () => {
      try {
        child!.kill('SIGTERM');
        await outputMatches(/SIGTERM: draining/);
        expect(await tryConnect(port), `a new connection once draining has begun; output:\n${output.slice(-3000)}`).toBe('ECONNREFUSED');
        req.end(body);
      } catch (error) {
        reject(error);
      }
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
  });

  const { status } = await answer;
  expect(status, 'the sign-in in flight was answered (a redirect back to sign-in), not dropped').toBeGreaterThanOrEqual(200);
  expect(status).toBeLessThan(500);
  expect(await exited, `exit code; output:\n${output.slice(-2000)}`).toBe(0);
  expect(output).toMatch(/Drained in \d+ ms \(1 request\(s\) in flight at the signal, 0 cut off.*database closed\. Exiting 0\./);

  // Closed cleanly: no WAL frames left behind, and the attempt's row is in the database.
  const databaseFile = path.join(dataDir, 'field-reports.db');
  expect(walFrames(databaseFile)).toBe(0);
  expect(walFrames(path.join(dataDir, 'sign-in-throttle.db'))).toBe(0);
  const db = new Database(databaseFile, { readonly: true });
  try {
    applyDatabaseKey(db, deriveKey(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex'), 'database'), databaseFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare("SELECT count(*) AS n FROM audit_events WHERE kind = 'sign_in_failed'").get() as { n: number }).n).toBe(1);
  } finally {
    db.close();
  }
  // Nothing of the attempt was logged (docs/security/README.md "Audit and privacy").
  expect(output).not.toContain('partner-k17');
});
