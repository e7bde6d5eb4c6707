import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { accounts, auditEvents, notificationSettings, reportEvents, reportMessages, reports } from '@/db/schema';
import { changeRole, deactivateAccount, resetAccount } from '@/lib/accounts/accounts';
import { createTestAccount, type TestAccount } from '@/lib/testing/accounts';
import { countTestRows } from '@/lib/testing/database';
import { insertReviewReport } from '@/lib/testing/reports';
import { startSmtpSink, type SmtpSink, type SunkMail } from '@/lib/testing/smtp-sink';
import { runNotificationDigests } from './digest';
import { getNotificationSettings, saveNotificationSettings, settingsChange, turnOffNotifications } from './settings';

/**
 * The editors' e-mail digest against a real SMTP conversation: nodemailer hands each digest to an
 * smtp-server sink on 127.0.0.1 (lib/testing/smtp-sink.ts), and the tests read what arrived.
 */

const HOUR = 3600_000;
const T0 = new Date(Date.UTC(2030, 0, 1, 8, 0));
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);

// Distinctive strings a digest must never carry.
const TITLE = 'Zebra-title-4471 at the Hyesan bridge';
const PARTNER_NAME = 'partner-mallow-9052';
const MESSAGE = 'kettle-secret-8830 the guard changed';

let sink: SmtpSink;
let partner: TestAccount;

beforeAll(async () => {
  sink = await startSmtpSink();
  partner = createTestAccount('partner', PARTNER_NAME);
});
afterAll(async () => {
  await sink.close();
});

/** The message's text with quoted-printable or base64 undone (our digests are one text/plain part). */
function bodyOf(mail: SunkMail): string {
  const [head = '', ...rest] = mail.raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}
const headOf = (mail: SunkMail) => mail.raw.split(/\r?\n\r?\n/)[0] ?? '';
const mailsTo = (address: string) => sink.mails.filter((m) => m.to.includes(address));

/** A partner's report submitted now (with its `submit` event), unclaimed: it awaits an editor. */
function submitReport({ title = TITLE, claimedBy = null }: { title?: string; claimedBy?: number | null } = {}): number {
  const id = insertReviewReport({ authorId: partner.id, title, placeId: 'kp-hyesan', claimedBy, status: claimedBy ? 'in_review' : 'submitted' });
  getDb().insert(reportEvents).values({ reportId: id, actorId: partner.id, action: 'submit', fromStatus: 'draft', toStatus: 'submitted' }).run();
  return id;
}
const reply = (reportId: number, body = MESSAGE) => getDb().insert(reportMessages).values({ reportId, authorId: partner.id, body }).run();

/** An editor who turned the digest on at `when` (hours after T0) with `intervalHours`. */
function optedInEditor(address: string, intervalHours: 1 | 4 | 24, when = 0, role: 'editor' | 'admin' = 'editor'): TestAccount {
  const editor = createTestAccount(role);
  const saved = saveNotificationSettings({ actor: editor, input: { address, intervalHours: String(intervalHours) }, now: at(when) });
  expect(saved.ok).toBe(true);
  return editor;
}

describe('notification digest', () => {
  it('says how many reports await, with links to the queue, and nothing of any report, place, partner or message', async () => {
    const address = 'desk-a@example.org';
    const editor = optedInEditor(address, 1);
    const first = submitReport();
    submitReport({ title: 'Second report =cmd|calc' });
    reply(first);

    await runNotificationDigests({ now: at(1), mail: sink.settings });

    const mails = mailsTo(address);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    const body = bodyOf(mail);
    expect(mail.from).toBe('desk@example.org');
    const awaiting = getDb().select({ id: reports.id }).from(reports).where(eq(reports.status, 'submitted')).all().length;
    expect(body).toContain(`${awaiting} reports await review in the queue:`);
    expect(body).toContain('https://desk.example.org/editor?status=submitted');
    expect(body).toContain('1 new reply from a partner:');
    expect(body).toContain('https://desk.example.org/account/notifications');
    expect(headOf(mail)).toMatch(/^Subject: Field Reports: new work on your desk$/m);
    for (const secret of ['Zebra-title-4471', 'Hyesan', '혜산', PARTNER_NAME, 'kettle-secret-8830', 'near the river', 'Dozens of trucks', 'calc', editor.codeName]) {
      expect(body, secret).not.toContain(secret);
      expect(headOf(mail), secret).not.toContain(secret);
    }
  });

  it('never sends twice for the same events, and waits out the chosen interval', async () => {
    const address = 'desk-b@example.org';
    optedInEditor(address, 4);
    submitReport();

    await runNotificationDigests({ now: at(2), mail: sink.settings });
    expect(mailsTo(address), 'before the interval has passed').toHaveLength(0);

    await runNotificationDigests({ now: at(4), mail: sink.settings });
    expect(mailsTo(address)).toHaveLength(1);

    // The same events again, later and after a "restart" (the state is only in the database).
    await runNotificationDigests({ now: at(4), mail: sink.settings });
    await runNotificationDigests({ now: at(9), mail: sink.settings });
    expect(mailsTo(address), 'nothing new happened').toHaveLength(1);

    submitReport();
    await runNotificationDigests({ now: at(5), mail: sink.settings });
    expect(mailsTo(address), 'new, but within four hours of the last digest').toHaveLength(1);
    await runNotificationDigests({ now: at(8), mail: sink.settings });
    expect(mailsTo(address)).toHaveLength(2);
  });

  it('counts reports assigned to the editor by someone else, and partner replies on reports they hold', async () => {
    const address = 'desk-c@example.org';
    const editor = optedInEditor(address, 1, 20);
    const colleague = createTestAccount('editor');
    const held = submitReport({ claimedBy: editor.id });
    getDb().insert(reportEvents).values({ reportId: held, actorId: colleague.id, action: 'assign', fromStatus: 'submitted', toStatus: 'in_review' }).run();
    const selfClaimed = submitReport({ claimedBy: editor.id });
    getDb().insert(reportEvents).values({ reportId: selfClaimed, actorId: editor.id, action: 'assign', fromStatus: 'submitted', toStatus: 'in_review' }).run();
    reply(held);
    reply(held, 'second reply');
    const othersReport = submitReport({ claimedBy: colleague.id });
    reply(othersReport);

    await runNotificationDigests({ now: at(21), mail: sink.settings });

    const body = bodyOf(mailsTo(address)[0]!);
    expect(body).toContain('1 report was assigned to you:');
    expect(body).toContain('2 new replies from partners:');
    expect(body).toContain('https://desk.example.org/editor?claimed=me');
  });

  it('sends nothing once the editor turns it off, and keeps no address', async () => {
    const address = 'desk-d@example.org';
    const editor = optedInEditor(address, 1, 30);
    expect(turnOffNotifications({ actor: editor }).ok).toBe(true);
    submitReport();
    await runNotificationDigests({ now: at(32), mail: sink.settings });
    expect(mailsTo(address)).toHaveLength(0);
    expect(countTestRows('notification_settings', 'account_id = ?', editor.id)).toBe(0);
    expect(getNotificationSettings({ actor: editor })).toEqual({ ok: true, settings: { enabled: false } });
  });

  it('is off by default: an editor who never opted in gets nothing', async () => {
    const editor = createTestAccount('editor');
    submitReport();
    const before = sink.mails.length;
    await runNotificationDigests({ now: at(40), mail: sink.settings });
    expect(getNotificationSettings({ actor: editor })).toEqual({ ok: true, settings: { enabled: false } });
    expect(sink.mails.slice(before).filter((m) => m.to.some((to) => to.includes(editor.codeName)))).toHaveLength(0);
  });

  it('tries again next round when the SMTP server does not take the digest', async () => {
    const address = 'desk-e@example.org';
    optedInEditor(address, 1, 50);
    submitReport();
    sink.refuseNextTo(address);
    const refused = await runNotificationDigests({ now: at(51), mail: sink.settings });
    expect(refused.failed).toBeGreaterThanOrEqual(1);
    expect(mailsTo(address)).toHaveLength(0);
    await runNotificationDigests({ now: at(51.1), mail: sink.settings });
    expect(mailsTo(address)).toHaveLength(1);
  });

  it('sends nothing and reads nothing when mail is off (no SMTP settings)', async () => {
    optedInEditor('desk-f@example.org', 1, 60);
    submitReport();
    expect(await runNotificationDigests({ now: at(61), mail: null })).toEqual({ sent: 0, failed: 0 });
    expect(mailsTo('desk-f@example.org')).toHaveLength(0);
  });

  it('writes in the account language', async () => {
    const address = 'desk-ko@example.org';
    const editor = optedInEditor(address, 1, 70, 'admin');
    getDb().update(accounts).set({ locale: 'ko' }).where(eq(accounts.id, editor.id)).run();
    submitReport();
    await runNotificationDigests({ now: at(71), mail: sink.settings });
    expect(bodyOf(mailsTo(address)[0]!)).toMatch(/대기열에서 제보 \d+건이 검토를 기다립니다:/);
  });
});

describe('partners and e-mail', () => {
  it('a partner can never turn the digest on, and no address is stored', () => {
    const result = saveNotificationSettings({ actor: partner, input: { address: 'partner@example.org', intervalHours: '1' } });
    expect(result).toMatchObject({ ok: false, messageKey: 'desk.notifications.errors.notAllowed' });
    expect(countTestRows('notification_settings', 'account_id = ?', partner.id)).toBe(0);
    expect(getNotificationSettings({ actor: partner }).ok).toBe(false);
  });

  it('an editor made a partner loses the setting and its address at once', () => {
    const admin = createTestAccount('admin');
    const editor = optedInEditor('turned-partner@example.org', 1, 80);
    expect(changeRole({ actor: admin, input: { accountId: String(editor.id), role: 'partner' } }).ok).toBe(true);
    expect(countTestRows('notification_settings', 'account_id = ?', editor.id)).toBe(0);
  });

  it('a row left for an account that is no longer an editor is deleted by the digest, and nothing is sent', async () => {
    const editor = optedInEditor('stale@example.org', 1, 90);
    getDb().update(accounts).set({ role: 'partner' }).where(eq(accounts.id, editor.id)).run();
    submitReport();
    await runNotificationDigests({ now: at(91), mail: sink.settings });
    expect(mailsTo('stale@example.org')).toHaveLength(0);
    expect(getDb().select().from(notificationSettings).where(eq(notificationSettings.accountId, editor.id)).all()).toHaveLength(0);
  });
});

describe('notification settings form', () => {
  it('refuses a bad address or interval with a reason beside each field, and stores nothing', () => {
    const editor = createTestAccount('editor');
    const result = saveNotificationSettings({ actor: editor, input: { address: 'not an address', intervalHours: '2' } });
    expect(result).toMatchObject({
      ok: false,
      messageKey: 'desk.notifications.errors.invalid',
      fieldErrors: { address: ['desk.notifications.errors.address'], intervalHours: ['desk.notifications.errors.interval'] },
    });
    expect(countTestRows('notification_settings', 'account_id = ?', editor.id)).toBe(0);
  });

  it('changes the address and interval of a digest that is on', () => {
    const editor = optedInEditor('first@example.org', 24, 100);
    const result = saveNotificationSettings({ actor: editor, input: { address: ' second@example.org ', intervalHours: '4' } });
    expect(result).toEqual({ ok: true, settings: { enabled: true, address: 'second@example.org', intervalHours: 4 } });
  });
});

describe('changes to the digest are audited, and an admin reset or deactivation clears it', () => {
  const auditOf = (accountId: number, kind: string) =>
    getDb()
      .select({ kind: auditEvents.kind, actorId: auditEvents.actorId, detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.targetAccountId, accountId))
      .all()
      .filter((row) => row.kind === kind);

  it('names what changed, never the address', () => {
    expect(settingsChange(undefined, { address: 'a@example.org', intervalHours: 1 })).toBe('turned on');
    expect(settingsChange({ address: 'a@example.org', intervalHours: 1 }, { address: 'A@Example.org', intervalHours: 1 })).toBeNull();
    expect(settingsChange({ address: 'a@example.org', intervalHours: 1 }, { address: 'b@example.org', intervalHours: 1 })).toBe('address changed');
    expect(settingsChange({ address: 'a@example.org', intervalHours: 1 }, { address: 'a@example.org', intervalHours: 4 })).toBe('interval changed');
    expect(settingsChange({ address: 'a@example.org', intervalHours: 1 }, { address: 'b@example.org', intervalHours: 4 })).toBe('address and interval changed');
  });

  it('turning on, changing the address and turning off are each an audit row by the editor, none holding an address', () => {
    const editor = optedInEditor('audited-first@example.org', 24, 110);
    saveNotificationSettings({ actor: editor, input: { address: 'audited-first@example.org', intervalHours: '24' } });
    saveNotificationSettings({ actor: editor, input: { address: 'audited-second@example.org', intervalHours: '24' } });
    turnOffNotifications({ actor: editor });
    const rows = auditOf(editor.id, 'notifications_changed');
    expect(rows).toEqual([
      { kind: 'notifications_changed', actorId: editor.id, detail: { change: 'turned on', intervalHours: 24 } },
      { kind: 'notifications_changed', actorId: editor.id, detail: { change: 'address changed', intervalHours: 24 } },
      { kind: 'notifications_changed', actorId: editor.id, detail: { change: 'turned off' } },
    ]);
    expect(JSON.stringify(rows)).not.toContain('@');
  });

  it("an admin's password reset turns the digest off and deletes the address, and says so in its audit row", () => {
    const admin = createTestAccount('admin');
    const editor = optedInEditor('taken-over@example.org', 1, 120);
    expect(resetAccount({ actor: admin, accountId: String(editor.id) }).ok).toBe(true);
    expect(countTestRows('notification_settings', 'account_id = ?', editor.id)).toBe(0);
    expect(auditOf(editor.id, 'account_reset')).toEqual([{ kind: 'account_reset', actorId: admin.id, detail: { codeName: editor.codeName, digest: 'turned off' } }]);
  });

  it('a deactivation turns the digest off and deletes the address; nothing is sent to it after', async () => {
    const admin = createTestAccount('admin');
    const editor = optedInEditor('deactivated@example.org', 1, 130);
    expect(deactivateAccount({ actor: admin, accountId: String(editor.id) }).ok).toBe(true);
    expect(countTestRows('notification_settings', 'account_id = ?', editor.id)).toBe(0);
    expect(auditOf(editor.id, 'account_deactivated')[0]?.detail).toEqual({ codeName: editor.codeName, digest: 'turned off' });
    submitReport();
    await runNotificationDigests({ now: at(140), mail: sink.settings });
    expect(mailsTo('deactivated@example.org')).toHaveLength(0);
  });
});
