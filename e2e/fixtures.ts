/**
 * Playwright fixtures (`test.extend`, model: vercel/ai-chatbot's tests/fixtures.ts) and the
 * sign-in and account helpers they are made of:
 * - `signedInAs` (an option: `test.use({ signedInAs: 'editor' })`): the test's `page` is signed in
 *   as that demo account through the real sign-in page before the test begins;
 * - `pageAs(account)`: another page, in a browser context of its own, signed in as `account`
 *   (for a second person in the same test); every context it made is closed after the test;
 * - `openTestDb()`: the test server's database for seeding and checking what was written (the
 *   server and the tests share E2E_DATA_DIR; SQLite WAL allows both).
 */
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { hash } from '@node-rs/argon2';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { applyDatabaseKey } from '../db/client';
import { getDerivedKey } from '../lib/at-rest/keys';

export const DEMO_PASSWORDS = {
  admin: process.env.DEMO_PASSWORD ?? 'demo-admin-password',
  editor: process.env.DEMO_PASSWORD ?? 'demo-editor-password',
  'partner-k17': process.env.DEMO_PASSWORD ?? 'demo-partner-k17-password',
  'partner-y04': process.env.DEMO_PASSWORD ?? 'demo-partner-y04-password',
} as const;
export type DemoAccount = keyof typeof DEMO_PASSWORDS;

/**
 * Open the test server's database (close it when done), with the key the server has: the key file
 * e2e/server.ts wrote (FIELD_REPORTS_KEY_FILE, set by playwright.config.ts).
 */
export function openTestDb(): Database.Database {
  const file = path.join(process.env.E2E_DATA_DIR ?? './data/e2e', 'field-reports.db');
  const db = new Database(file);
  applyDatabaseKey(db, getDerivedKey('database'), file);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Sign in through the form; waits until the role's home (or `expectPath`) is shown. */
export async function signIn(page: Page, codeName: string, password: string, expectPath?: RegExp) {
  await page.goto('/sign-in');
  await page.getByLabel('Code name').fill(codeName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (expectPath) await expect(page).toHaveURL(expectPath);
}

/**
 * The owner hint the signed-in partner's pages carry (the hidden `_keptOwner` of the new-report
 * form; lib/reports/kept-post-owner.ts): requests made outside the pages send it as the pages do
 * (lib/auth/tab-owner.ts).
 */
export async function ownerHintOf(page: Page): Promise<string> {
  const html = await (await page.request.get('/partner/reports/new')).text();
  const hint = /name="_keptOwner" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];
  if (!hint) throw new Error('no owner hint on the new-report form: not signed in as a partner?');
  return hint;
}

/** Sign in as one of the four demo accounts. */
export async function signInAs(page: Page, account: DemoAccount) {
  const home = account === 'admin' ? /\/admin$/ : account === 'editor' ? /\/editor$/ : /\/partner$/;
  await signIn(page, account, DEMO_PASSWORDS[account], home);
}

let counter = 0;
/**
 * Create an account directly in the database (for specs that need their own users).
 * Returns its code name and password. Editors and admins created here are not demo accounts, so
 * they must use two-step sign-in: pass `{ twoFactor: true }` to give them a TOTP secret (returned as
 * `totpSecret`; sign in with `signInWithCode`), or leave it off to test enrolment.
 */
export async function createTestAccount(role: 'partner' | 'editor' | 'admin', prefix: string = role, options: { twoFactor?: boolean } = {}) {
  counter += 1;
  const codeName = `${prefix}-${Date.now().toString(36)}-${counter}`;
  const password = `test-password-${counter}-${Math.random().toString(36).slice(2)}`;
  const passwordHash = await hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const totpSecret = options.twoFactor ? new Secret({ size: 20 }).base32 : null;
  const db = openTestDb();
  try {
    const row = db
      .prepare('INSERT INTO accounts (code_name, role, password_hash, totp_secret) VALUES (?, ?, ?, ?) RETURNING id')
      .get(codeName, role, passwordHash, totpSecret) as { id: number };
    return { id: row.id, codeName, password, totpSecret };
  } finally {
    db.close();
  }
}

/**
 * The 6-digit TOTP code of a base32 secret, `stepOffset` 30-second steps from now (each code is
 * accepted once; use +1 to sign in again within the same half minute).
 */
export function totpCode(secret: string, stepOffset = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: Date.now() + stepOffset * 30_000,
  });
}

/** Sign in with password and then a TOTP code (accounts made with `{ twoFactor: true }`). */
export async function signInWithCode(page: Page, account: { codeName: string; password: string; totpSecret: string | null }, expectPath?: RegExp, stepOffset = 0) {
  if (!account.totpSecret) throw new Error('signInWithCode needs an account with a TOTP secret');
  await signIn(page, account.codeName, account.password, /\/sign-in\/two-factor$/);
  await page.getByLabel('Code', { exact: true }).fill(totpCode(account.totpSecret, stepOffset));
  await page.getByRole('button', { name: 'Continue' }).click();
  if (expectPath) await expect(page).toHaveURL(expectPath);
}

type Fixtures = {
  /** Demo account the test's `page` is signed in as before the test; null (default): signed out. */
  signedInAs: DemoAccount | null;
  /** A page of its own browser context, signed in as `account` (closed after the test). */
  pageAs: (account: DemoAccount) => Promise<Page>;
};

// The second parameter of a fixture is named `provide` (Playwright calls it `use`, a name React's
// lint rules reserve).
export const test = base.extend<Fixtures>({
  signedInAs: [null, { option: true }],
  page: async ({ page, signedInAs }, provide) => {
    if (signedInAs) await signInAs(page, signedInAs);
    await provide(page);
  },
  pageAs: async ({ browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (account) => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await signInAs(page, account);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});
export { expect };
