/**
 * The objects the authorization matrix runs against and the sessions it calls with: two fresh
 * partners with a draft and a submitted report each, a verified report, a report published
 * through the app, a photo on each partner's draft; and the small seeds single cases need.
 */
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { callAction, demoAccount, form, freshPartner, seedReport, signInCookie, uploadPhoto, withDb, type Caller, type SeededReport } from '../security-kit';
import { hex, idOf, type World } from './cases';

/** Sessions the action cases need for setting up (seedWorld fills it). */
export const setupSessions: { editor: string; partner: string; otherPartner: string } = { editor: '', partner: '', otherPartner: '' };

/** Seed the matrix's world and sign in each caller. */
export async function seedWorld(): Promise<{ world: World; sessions: Record<Caller, string> }> {
  const partner = await freshPartner('authz-a');
  const otherPartner = await freshPartner('authz-b');
  const editor = demoAccount('editor');
  const admin = demoAccount('admin');
  const sessions: Record<Caller, string> = {
    anonymous: '',
    partner: await signInCookie(partner.codeName, partner.password),
    editor: await signInCookie(editor.codeName, editor.password),
    admin: await signInCookie(admin.codeName, admin.password),
  };
  setupSessions.editor = sessions.editor;
  setupSessions.partner = sessions.partner;
  setupSessions.otherPartner = await signInCookie(otherPartner.codeName, otherPartner.password);
  const toPublish = seedReport({ authorId: otherPartner.id, status: 'verified' });
  const ownDraft = seedReport({ authorId: partner.id, status: 'draft' });
  const otherDraft = seedReport({ authorId: otherPartner.id, status: 'draft' });
  const world: World = {
    partner, otherPartner, editor, admin,
    own: { draft: ownDraft, submitted: seedReport({ authorId: partner.id, status: 'submitted' }) },
    other: { draft: otherDraft, submitted: seedReport({ authorId: otherPartner.id, status: 'submitted' }) },
    verified: seedReport({ authorId: otherPartner.id, status: 'verified' }),
    publicId: await publishThroughApp(toPublish, sessions.editor),
    photos: { own: await uploadPhoto(sessions.partner, ownDraft.id), other: await uploadPhoto(setupSessions.otherPartner, otherDraft.id) },
  };
  return { world, sessions };
}

/** A report's current version. */
export function versionOf(reportId: number): number {
  return withDb((db) => (db.prepare('SELECT version FROM reports WHERE id = ?').get(reportId) as { version: number }).version);
}

/** The publish form's fields for `report` (default choices: province, day). */
export function publishForm(report: SeededReport) {
  const fields = { reportId: String(report.id), version: String(versionOf(report.id)), intent: 'publish', titleEn: `Public ${report.title}` };
  return form({ ...fields, summaryEn: 'Trucks crossed at night.', placeCoarsening: 'province', timeCoarsening: 'day' });
}

/** The publish form action's first state. */
export const PUBLISH_STATE = { status: 'idle', message: null, fieldErrors: {}, values: {}, preview: null, leaks: [] };

/** Publish `report` through the publish form's action as `cookie`'s editor; its public id. */
export async function publishThroughApp(report: SeededReport, cookie: string): Promise<string> {
  const key = 'app/(editor)/editor/reports/[id]/publish/actions.ts#publishFormAction';
  const result = await callAction({ key, page: `/editor/reports/${report.id}/publish`, cookie, args: [PUBLISH_STATE, publishForm(report)] });
  const row = withDb((db) => db.prepare('SELECT public_id AS publicId FROM publications WHERE report_id = ?').get(report.id) as { publicId: string } | undefined);
  if (!row) throw new Error(`publishing report ${report.id} failed: HTTP ${result.status} ${JSON.stringify(result.value)}`);
  return row.publicId;
}

/** An account of `role` with a (useless) password hash; its id. */
export function freshAccount(role: string, extra: { status?: string; totpSecret?: string | null } = {}): number {
  const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
  const sql = 'INSERT INTO accounts (code_name, role, status, password_hash, totp_secret) VALUES (?, ?, ?, ?, ?) RETURNING id';
  return idOf(sql, `authz-${role}-${hex()}`, role, extra.status ?? 'active', hash, extra.totpSecret ?? null);
}

/** A trading company in the agency list (retired when asked); its id. */
export function freshAgency({ retired = false }: { retired?: boolean } = {}): string {
  const id = `authz-agency-${hex()}`;
  withDb((db) => db.prepare("INSERT INTO agencies (id, kind, name_en, name_ko, retired_at) VALUES (?, 'trading_company', ?, '시험 회사', ?)").run(id, `Authz Trading ${id}`, retired ? Date.now() : null));
  return id;
}

/**
 * Give account `id` a fresh TOTP secret; returns a current code and how to put the account's
 * earlier second factor back.
 */
export function withFreshTotp(id: number): { code: string; restore: () => void } {
  const secret = new Secret({ size: 20 }).base32;
  const previous = withDb((db) => db.prepare('SELECT totp_secret AS secret, totp_last_step AS step FROM accounts WHERE id = ?').get(id) as { secret: string | null; step: number | null });
  withDb((db) => db.prepare('UPDATE accounts SET totp_secret = ?, totp_last_step = NULL WHERE id = ?').run(secret, id));
  const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
  return { code, restore: () => withDb((db) => db.prepare('UPDATE accounts SET totp_secret = ?, totp_last_step = ? WHERE id = ?').run(previous.secret, previous.step, id)) };
}

/** A one-time invitation link for account `id`: the token. */
export function freshInvitation(id: number): string {
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = crypto.createHash('sha256').update(token, 'utf8').digest('hex');
  withDb((db) => db.prepare("INSERT INTO invitations (account_id, token_hash, purpose, expires_at) VALUES (?, ?, 'invite', ?)").run(id, tokenHash, Date.now() + 3600_000));
  return token;
}
