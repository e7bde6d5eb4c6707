import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditRows, insertTestAccount, sessionVersionOf } from '@/lib/testing/accounts';
import { generateTotpSecret, totpCodeAt } from '@/lib/accounts/totp';
import type { NewPendingSignIn, PendingSignIn } from '@/lib/auth/pending-sign-in';
import { DEVICE_MAX_FAILURES, IP_FREE_FAILURES, NAME_FREE_FAILURES } from '@/lib/auth/throttle-policy';

let flow: typeof import('./sign-in-flow');
let pendingTokens: typeof import('@/lib/auth/pending-sign-in');

beforeAll(async () => {
  flow = await import('./sign-in-flow');
  pendingTokens = await import('@/lib/auth/pending-sign-in');
});

/** A pending step as the browser's cookie carries it (encrypted, then read back: own id and expiry). */
async function pendingStep(fields: NewPendingSignIn): Promise<PendingSignIn> {
  const pending = await pendingTokens.decodePendingSignIn(await pendingTokens.encodePendingSignIn(fields));
  if (!pending) throw new Error('setup: the pending step should decode');
  return pending;
}

afterEach(() => {
  vi.useRealTimers();
});

const PASSWORD = 'a sound long passphrase';

function clockAt(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

describe('throttling', () => {
  it('slows the sixth wrong password for one code name, without revealing whether it exists', async () => {
    const start = Date.UTC(2026, 4, 1, 8, 0, 0);
    clockAt(start);
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const ip = '203.0.113.7';
    for (let i = 0; i < 5; i += 1) {
      expect(await flow.attemptSignIn({ codeName: partner.codeName, password: `wrong guess ${i}` }, { clientIp: ip })).toEqual({
        ok: false,
        messageKey: 'auth.signIn.failed',
      });
    }
    // The sixth attempt waits, even with the right password, and case does not dodge it.
    const sixth = await flow.attemptSignIn({ codeName: partner.codeName.toUpperCase(), password: PASSWORD }, { clientIp: '198.51.100.1' });
    expect(sixth).toEqual({ ok: false, messageKey: 'auth.signIn.throttled', retryAfterSeconds: 15 });

    // An unknown code name is throttled in exactly the same way.
    for (let i = 0; i < 5; i += 1) await flow.attemptSignIn({ codeName: 'nobody-here', password: `guess ${i}` }, { clientIp: ip });
    expect(await flow.attemptSignIn({ codeName: 'nobody-here', password: 'guess 6' }, { clientIp: ip })).toEqual({
      ok: false,
      messageKey: 'auth.signIn.throttled',
      retryAfterSeconds: 15,
    });

    // Other people are not held up.
    const other = await insertTestAccount({ role: 'partner', password: PASSWORD });
    expect((await flow.attemptSignIn({ codeName: other.codeName, password: PASSWORD }, { clientIp: ip })).ok).toBe(true);

    // After the wait, a wrong password doubles the next wait; the right one gets in and clears it.
    clockAt(start + 16_000);
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: 'wrong again' }, { clientIp: ip })).toEqual({ ok: false, messageKey: 'auth.signIn.failed' });
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).toMatchObject({ retryAfterSeconds: 30 });
    clockAt(start + 16_000 + 31_000);
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).ok).toBe(true);
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: 'one slip' }, { clientIp: ip })).toEqual({ ok: false, messageKey: 'auth.signIn.failed' });
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).ok).toBe(true);
  });

  it('never makes anyone wait more than five minutes', async () => {
    const start = Date.UTC(2026, 4, 2, 8, 0, 0);
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    let now = start;
    let longest = 0;
    let failures = 0;
    while (failures < 15) {
      clockAt(now);
      const result = await flow.attemptSignIn({ codeName: partner.codeName, password: `wrong ${failures}` }, { clientIp: '192.0.2.50' });
      if (result.ok === false && 'retryAfterSeconds' in result && result.retryAfterSeconds) {
        longest = Math.max(longest, result.retryAfterSeconds);
        now += result.retryAfterSeconds * 1000;
      } else {
        failures += 1;
      }
    }
    expect(longest).toBe(300);
    clockAt(now + 300_000);
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: '192.0.2.50' })).ok).toBe(true);
  });

  it('slows one address trying many code names, and keeps addresses out of the audit log', async () => {
    clockAt(Date.UTC(2026, 4, 3, 8, 0, 0));
    const ip = '192.0.2.99';
    for (let i = 0; i < 30; i += 1) await flow.attemptSignIn({ codeName: `spray-${i}`, password: 'Winter2026!!' }, { clientIp: ip });
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).toMatchObject({ messageKey: 'auth.signIn.throttled' });
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: '192.0.2.100' })).ok).toBe(true);
    const log = JSON.stringify(await auditRows());
    expect(log).not.toContain(ip);
    expect(log).not.toContain('Winter2026');
    expect(log).toContain('throttled');
  });

  it('counts a whole IPv6 /64 as one address: rotating the host part does not escape the per-address limit', async () => {
    clockAt(Date.UTC(2026, 4, 3, 9, 0, 0));
    for (let i = 0; i < 30; i += 1) await flow.attemptSignIn({ codeName: `spray6-${i}`, password: 'Winter2026!!' }, { clientIp: `2001:db8:77:1:${(i + 1).toString(16)}::1` });
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: '2001:db8:77:1:ffff::9' })).toMatchObject({ messageKey: 'auth.signIn.throttled' });
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: '2001:db8:77:2::1' })).ok).toBe(true);
  });
});

describe('nobody can lock an owner out (issue 16 item 6)', () => {
  /** The known-device cookie the sign-in actions give a browser after a completed sign-in. */
  async function deviceCookieAfterSignIn(codeName: string, cookie: string | null = null): Promise<string> {
    const { rememberedDevicesAfterSignIn } = await import('@/lib/auth/known-device');
    return rememberedDevicesAfterSignIn(cookie, codeName);
  }

  it("16 anonymous failures from other addresses, then the owner's browser signs in at once, 25 times in a row", async () => {
    clockAt(Date.UTC(2026, 5, 1, 20, 0, 0));
    const owner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.10' })).ok).toBe(true);
    const device = await deviceCookieAfterSignIn(owner.codeName);

    const answers = [];
    for (let i = 0; i < 16; i += 1) answers.push(await flow.attemptSignIn({ codeName: owner.codeName, password: `guess ${i}` }, { clientIp: `203.0.113.${i + 1}` }));
    expect(answers.filter((a) => !a.ok && 'messageKey' in a && a.messageKey === 'auth.signIn.throttled').length).toBe(11);
    // The lock is real for anyone without the cookie, even at the owner's own address…
    expect(await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.10' })).toMatchObject({ messageKey: 'auth.signIn.throttled' });
    // …but the owner's browser is judged by its own failures only.
    for (let i = 0; i < 25; i += 1) {
      expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.10', deviceToken: device })).ok).toBe(true);
    }
    // The same browser from another network (a phone moving between cells) too.
    expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '192.0.2.77', deviceToken: device })).ok).toBe(true);
    // And the attacker is still held up afterwards.
    expect(await flow.attemptSignIn({ codeName: owner.codeName, password: 'guess again' }, { clientIp: '203.0.113.99' })).toMatchObject({ messageKey: 'auth.signIn.throttled' });
  });

  it('a stolen-looking or forged device cookie counts as no cookie: bad signature, another account, expired, garbage', async () => {
    const start = Date.UTC(2026, 5, 2, 20, 0, 0);
    clockAt(start);
    const owner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const other = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const { newDeviceToken } = await import('@/lib/auth/known-device');
    const real = newDeviceToken(owner.codeName);
    const mac = real.split('.').at(-1)!;
    const forged = `${real.slice(0, -mac.length)}${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const othersDevice = await deviceCookieAfterSignIn(other.codeName);
    const expired = newDeviceToken(owner.codeName, start - 366 * 24 * 3600 * 1000);
    for (let i = 0; i < 6; i += 1) await flow.attemptSignIn({ codeName: owner.codeName, password: `guess ${i}` }, { clientIp: `203.0.113.${i + 20}` });
    for (const deviceToken of [forged, othersDevice, expired, 'garbage', '']) {
      expect(await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.11', deviceToken }), deviceToken.slice(0, 12)).toMatchObject({
        messageKey: 'auth.signIn.throttled',
      });
    }
    expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.11', deviceToken: real })).ok).toBe(true);
  });

  it('an unknown client is still slowed per name and address: the owner signing in does not free the attacker', async () => {
    const start = Date.UTC(2026, 5, 3, 20, 0, 0);
    clockAt(start);
    const owner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const attacker = '203.0.113.50';
    for (let i = 0; i < 5; i += 1) await flow.attemptSignIn({ codeName: owner.codeName, password: `guess ${i}` }, { clientIp: attacker });
    expect(await flow.attemptSignIn({ codeName: owner.codeName, password: 'guess 5' }, { clientIp: attacker })).toEqual({ ok: false, messageKey: 'auth.signIn.throttled', retryAfterSeconds: 15 });
    clockAt(start + 16_000);
    // The owner, on a new phone (no cookie), waits out the name's 15 s and signs in: the name's count is cleared…
    expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.12' })).ok).toBe(true);
    // …but the attacker's own address keeps its count: the next failure doubles its wait.
    expect(await flow.attemptSignIn({ codeName: owner.codeName, password: 'guess 6' }, { clientIp: attacker })).toEqual({ ok: false, messageKey: 'auth.signIn.failed' });
    expect(await flow.attemptSignIn({ codeName: owner.codeName, password: 'guess 7' }, { clientIp: attacker })).toEqual({ ok: false, messageKey: 'auth.signIn.throttled', retryAfterSeconds: 30 });
    expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.13' })).ok).toBe(true);
  });

  it('a known device that itself fails much is slowed too: after 10 failures it counts as unknown for an hour', async () => {
    const start = Date.UTC(2026, 5, 4, 20, 0, 0);
    clockAt(start);
    const owner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const device = await deviceCookieAfterSignIn(owner.codeName);
    const ip = '198.51.100.14';
    const answers = [];
    for (let i = 0; i < 16; i += 1) answers.push(await flow.attemptSignIn({ codeName: owner.codeName, password: `typo ${i}` }, { clientIp: ip, deviceToken: device }));
    // 10 on the device's own count, then 5 free as an unknown client, then the first wait.
    expect(answers.slice(0, 15).every((a) => !a.ok && 'messageKey' in a && a.messageKey === 'auth.signIn.failed')).toBe(true);
    expect(answers[15]).toEqual({ ok: false, messageKey: 'auth.signIn.throttled', retryAfterSeconds: 15 });
    // An hour later the device is off the lockout list and gets in at once, whatever others did meanwhile.
    clockAt(start + 3601_000);
    for (let i = 0; i < 8; i += 1) await flow.attemptSignIn({ codeName: owner.codeName, password: `guess ${i}` }, { clientIp: `203.0.113.${60 + i}` });
    expect((await flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: ip, deviceToken: device })).ok).toBe(true);
  });

  it("guessing two-step codes with a leaked password cannot stop the owner's device", async () => {
    clockAt(Date.UTC(2026, 5, 5, 20, 0, 0));
    const secret = generateTotpSecret();
    const editor = await insertTestAccount({ role: 'editor', password: PASSWORD, totpSecret: secret });
    const device = await deviceCookieAfterSignIn(editor.codeName);
    const fields = { accountId: editor.id, codeName: editor.codeName, sessionVersion: await sessionVersionOf(editor.id), stage: 'verify' as const, secret: null, callbackPath: null };
    const code = totpCodeAt({ secret, timestampMs: Date.now() });
    const wrong = (n: number) => String((Number(code) + 7 + n) % 1_000_000).padStart(6, '0');
    // The attacker has the password and guesses codes from many addresses until held up.
    const attackerAnswers = [];
    for (let i = 0; i < 12; i += 1) {
      const ip = `203.0.113.${100 + i}`;
      const step = await flow.attemptSignIn({ codeName: editor.codeName, password: PASSWORD }, { clientIp: ip });
      if (step.ok === false && step.secondStep === 'verify') attackerAnswers.push(await flow.completeSecondStep({ pending: await pendingStep(fields), code: wrong(i), clientIp: ip }));
      else attackerAnswers.push(step);
    }
    expect(attackerAnswers.at(-1)).toMatchObject({ messageKey: 'auth.signIn.throttled' });
    // The owner's device: the password step and then the code go through at once.
    const ownerStep = await flow.attemptSignIn({ codeName: editor.codeName, password: PASSWORD }, { clientIp: '198.51.100.15', deviceToken: device });
    expect(ownerStep.ok === false && ownerStep.secondStep).toBe('verify');
    expect(await flow.completeSecondStep({ pending: await pendingStep(fields), code, clientIp: '198.51.100.15', deviceToken: device })).toMatchObject({ ok: true, account: { id: editor.id } });
    // Without the device the same right code would have waited.
    const next = totpCodeAt({ secret, timestampMs: Date.now() + 30_000 });
    expect(await flow.completeSecondStep({ pending: await pendingStep(fields), code: next, clientIp: '198.51.100.15' })).toMatchObject({ messageKey: 'auth.signIn.throttled' });
  });
});

describe('a burst of simultaneous attempts gets no more than the free allowance (issue 16 item 6)', () => {
  type Answer = Awaited<ReturnType<typeof flow.attemptSignIn>>;
  /** How many answers reached the password check ("not right") and how many were told to wait. */
  function tally(answers: Answer[]): { checked: number; throttled: number } {
    const keyOf = (a: Answer) => (!a.ok && 'messageKey' in a ? a.messageKey : 'other');
    return { checked: answers.filter((a) => keyOf(a) === 'auth.signIn.failed').length, throttled: answers.filter((a) => keyOf(a) === 'auth.signIn.throttled').length };
  }

  it('100 simultaneous wrong passwords for one code name from one address: at most 5 reach the password check', async () => {
    clockAt(Date.UTC(2026, 6, 1, 9, 0, 0));
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => flow.attemptSignIn({ codeName: partner.codeName, password: `guess ${i}` }, { clientIp: '203.0.113.150' })));
    const counts = tally(answers);
    console.info(`burst, one name from one address: ${counts.checked} of 100 checked, ${counts.throttled} throttled`);
    expect(counts.checked).toBeGreaterThan(0);
    expect(counts.checked).toBeLessThanOrEqual(NAME_FREE_FAILURES);
    expect(counts.checked + counts.throttled).toBe(100);
    // And the burst's failures count: the right password waits too.
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: '203.0.113.150' })).toMatchObject({ messageKey: 'auth.signIn.throttled' });
  });

  it('one code name from 100 addresses at once: at most 5 reach the password check', async () => {
    clockAt(Date.UTC(2026, 6, 2, 9, 0, 0));
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => flow.attemptSignIn({ codeName: partner.codeName, password: `guess ${i}` }, { clientIp: `198.18.${i}.1` })));
    const counts = tally(answers);
    console.info(`burst, one name from 100 addresses: ${counts.checked} of 100 checked`);
    expect(counts.checked).toBeLessThanOrEqual(NAME_FREE_FAILURES);
    expect(counts.checked + counts.throttled).toBe(100);
  });

  it('150 code names from one address at once: at most 30 reach the password check', async () => {
    clockAt(Date.UTC(2026, 6, 3, 9, 0, 0));
    const answers = await Promise.all(Array.from({ length: 150 }, (_, i) => flow.attemptSignIn({ codeName: `burst-${i}`, password: 'Winter2026!!' }, { clientIp: '203.0.113.151' })));
    const counts = tally(answers);
    console.info(`burst, 150 names from one address: ${counts.checked} of 150 checked, ${counts.throttled} throttled`);
    expect(counts.checked).toBeGreaterThan(0);
    expect(counts.checked).toBeLessThanOrEqual(IP_FREE_FAILURES);
    expect(counts.checked + counts.throttled).toBe(150);
  });

  it('a stolen device cookie in a burst gets its own 10 and then the 5 of an unknown client, no more', async () => {
    clockAt(Date.UTC(2026, 6, 4, 9, 0, 0));
    const owner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const { rememberedDevicesAfterSignIn } = await import('@/lib/auth/known-device');
    const device = rememberedDevicesAfterSignIn(null, owner.codeName);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => flow.attemptSignIn({ codeName: owner.codeName, password: `guess ${i}` }, { clientIp: '203.0.113.152', deviceToken: device })));
    const counts = tally(answers);
    console.info(`burst, a device cookie from one address: ${counts.checked} of 100 checked`);
    expect(counts.checked).toBeLessThanOrEqual(DEVICE_MAX_FAILURES + NAME_FREE_FAILURES);
    expect(counts.checked + counts.throttled).toBe(100);
  });

  it("the owner's known device still signs in during an attacker's burst, and the burst does not get more for it", async () => {
    clockAt(Date.UTC(2026, 6, 5, 9, 0, 0));
    const owner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const { rememberedDevicesAfterSignIn } = await import('@/lib/auth/known-device');
    const device = rememberedDevicesAfterSignIn(null, owner.codeName);
    const burst = Array.from({ length: 60 }, (_, i) => flow.attemptSignIn({ codeName: owner.codeName, password: `guess ${i}` }, { clientIp: `203.0.113.${160 + (i % 10)}` }));
    const owners = Array.from({ length: 3 }, () => flow.attemptSignIn({ codeName: owner.codeName, password: PASSWORD }, { clientIp: '198.51.100.40', deviceToken: device }));
    const [attacker, own] = await Promise.all([Promise.all(burst), Promise.all(owners)]);
    expect(own.map((a) => a.ok)).toEqual([true, true, true]);
    expect(tally(attacker).checked).toBeLessThanOrEqual(NAME_FREE_FAILURES);
  });

  it('a correct sign-in after its own failures still clears them, and a right password awaiting its code counts as no failure', async () => {
    const start = Date.UTC(2026, 6, 6, 9, 0, 0);
    clockAt(start);
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const ip = '203.0.113.170';
    for (let i = 0; i < 4; i += 1) expect(await flow.attemptSignIn({ codeName: partner.codeName, password: `slip ${i}` }, { clientIp: ip })).toEqual({ ok: false, messageKey: 'auth.signIn.failed' });
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).ok).toBe(true);
    // Cleared: five more slips are free again, the sixth attempt waits 15 s.
    for (let i = 0; i < 5; i += 1) expect(await flow.attemptSignIn({ codeName: partner.codeName, password: `slip again ${i}` }, { clientIp: ip })).toEqual({ ok: false, messageKey: 'auth.signIn.failed' });
    expect(await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).toEqual({ ok: false, messageKey: 'auth.signIn.throttled', retryAfterSeconds: 15 });
    clockAt(start + 16_000);
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD }, { clientIp: ip })).ok).toBe(true);

    // An editor's right password (the code comes next) is no failure, however often.
    const editor = await insertTestAccount({ role: 'editor', password: PASSWORD, totpSecret: generateTotpSecret() });
    for (let i = 0; i < 8; i += 1) {
      const step = await flow.attemptSignIn({ codeName: editor.codeName, password: PASSWORD }, { clientIp: '203.0.113.171' });
      expect(step.ok === false && step.secondStep).toBe('verify');
    }
    // Simultaneous right passwords from one browser are not told to wait either.
    const together = await Promise.all(Array.from({ length: 8 }, () => flow.attemptSignIn({ codeName: editor.codeName, password: PASSWORD }, { clientIp: '203.0.113.171' })));
    expect(together.filter((step) => step.ok === false && step.secondStep === 'verify').length).toBeGreaterThanOrEqual(NAME_FREE_FAILURES);
  });
});

describe('the audit log cannot be flooded (issue 16 item 8)', () => {
  async function failedRows(): Promise<{ rows: number; failures: number }> {
    const { getSqlite } = await import('@/db/client');
    return getSqlite().prepare("SELECT count(*) AS rows, coalesce(sum(count), 0) AS failures FROM audit_events WHERE kind = 'sign_in_failed'").get() as { rows: number; failures: number };
  }

  it('400 failed sign-ins from one client in a burst write two rows that count all 400', async () => {
    clockAt(Date.UTC(2026, 5, 10, 20, 1, 0));
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const before = await failedRows();
    const started = performance.now();
    for (let i = 0; i < 400; i += 1) await flow.attemptSignIn({ codeName: partner.codeName, password: `guess ${i}` }, { clientIp: '203.0.113.200' });
    const elapsedMs = performance.now() - started;
    const after = await failedRows();
    expect(after.rows - before.rows).toBe(2); // 5 wrong passwords, 395 refused while throttled
    expect(after.failures - before.failures).toBe(400);
    console.info(`audit flood: 400 failed sign-ins in ${Math.round(elapsedMs)} ms wrote ${after.rows - before.rows} rows`);
    const { listAuditEvents } = await import('@/lib/accounts/audit-log');
    const admin = await insertTestAccount({ role: 'admin' });
    const page = listAuditEvents({ actor: { id: admin.id, role: 'admin' }, filters: { kind: 'sign_in_failed' }, pageSize: 2 });
    expect(page.ok && page.events.map((e) => [e.count, (e.detail as { reason: string }).reason])).toEqual([
      [395, 'throttled'],
      [5, 'wrong_password'],
    ]);
  });

  it('400 unknown code names sprayed from one address write two rows too', async () => {
    clockAt(Date.UTC(2026, 5, 11, 20, 1, 0));
    const before = await failedRows();
    for (let i = 0; i < 400; i += 1) await flow.attemptSignIn({ codeName: `spray-${i}-x`, password: 'Winter2026!!' }, { clientIp: '203.0.113.201' });
    const after = await failedRows();
    expect(after.rows - before.rows).toBe(2); // 30 unknown names (the address's free failures), 370 refused while throttled
    expect(after.failures - before.failures).toBe(400);
  });
});

describe('second step', () => {
  it('sends an editor without 2FA to enrolment outside demo mode (even a demo account), never straight to a session', async () => {
    const editor = await insertTestAccount({ role: 'editor', password: PASSWORD, isDemo: true });
    const result = await flow.attemptSignIn({ codeName: editor.codeName, password: PASSWORD });
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.secondStep).toBe('enrol');
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    expect((await flow.attemptSignIn({ codeName: partner.codeName, password: PASSWORD })).ok).toBe(true);
  });

  it('asks an account with 2FA for a code, accepts a right code once, refuses wrong and reused ones', async () => {
    const secret = generateTotpSecret();
    const admin = await insertTestAccount({ role: 'admin', password: PASSWORD, totpSecret: secret });
    const step1 = await flow.attemptSignIn({ codeName: admin.codeName, password: PASSWORD });
    expect(step1.ok === false && step1.secondStep).toBe('verify');
    const fields = { accountId: admin.id, codeName: admin.codeName, sessionVersion: await sessionVersionOf(admin.id), stage: 'verify' as const, secret: null, callbackPath: null };
    const pending = await pendingStep(fields);
    const code = totpCodeAt({ secret, timestampMs: Date.now() });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(await flow.completeSecondStep({ pending, code: wrong })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(await flow.completeSecondStep({ pending, code })).toMatchObject({ ok: true, account: { id: admin.id } });
    // The same code after a new password step (a new pending step) is refused: codes are single-use.
    expect(await flow.completeSecondStep({ pending: await pendingStep(fields), code })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    const rows = await auditRows();
    expect(rows.filter((r) => r.targetAccountId === admin.id).map((r) => [r.kind, (r.detail as { reason?: string; method?: string } | null)?.reason ?? (r.detail as { method?: string })?.method])).toEqual([
      ['sign_in_failed', 'wrong_code'],
      ['sign_in', 'totp'],
      ['sign_in_failed', 'wrong_code'],
    ]);
  });

  it('voids a pending step when the account changed in between (deactivated, reset)', async () => {
    const secret = generateTotpSecret();
    const editor = await insertTestAccount({ role: 'editor', password: PASSWORD, totpSecret: secret });
    const pending = await pendingStep({ accountId: editor.id, codeName: editor.codeName, sessionVersion: await sessionVersionOf(editor.id), stage: 'verify', secret: null, callbackPath: null });
    const { getSqlite } = await import('@/db/client');
    getSqlite().prepare("UPDATE accounts SET status = 'deactivated', session_version = session_version + 1 WHERE id = ?").run(editor.id);
    const code = totpCodeAt({ secret, timestampMs: Date.now() });
    expect(await flow.completeSecondStep({ pending, code })).toEqual({ ok: false, messageKey: 'auth.twoFactor.expired' });
  });

  it('enrols with the first code, then the enrolment code cannot sign in again', async () => {
    const editor = await insertTestAccount({ role: 'editor', password: PASSWORD });
    const secret = generateTotpSecret();
    const version = await sessionVersionOf(editor.id);
    const pending = await pendingStep({ accountId: editor.id, codeName: editor.codeName, sessionVersion: version, stage: 'enrol', secret, callbackPath: null });
    const code = totpCodeAt({ secret, timestampMs: Date.now() });
    const enrolled = await flow.completeEnrolment({ pending, code });
    expect(enrolled.ok).toBe(true);
    if (!enrolled.ok) return;
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(enrolled.account.sessionVersion).toBe(version + 1);
    // The same pending step cannot enrol again (its session version is stale now).
    expect(await flow.completeEnrolment({ pending, code })).toEqual({ ok: false, messageKey: 'auth.twoFactor.expired' });
    const verify = await pendingStep({ accountId: editor.id, codeName: editor.codeName, stage: 'verify', secret: null, sessionVersion: version + 1, callbackPath: null });
    expect(await flow.completeSecondStep({ pending: verify, code })).toEqual({ ok: false, messageKey: 'auth.twoFactor.wrongCode' });
    expect(await flow.completeSecondStep({ pending: verify, code: enrolled.recoveryCodes[3] })).toMatchObject({ ok: true });
  });

  it('a pending step completes one sign-in only: a copy of its cookie replayed with another valid code is refused', async () => {
    const secret = generateTotpSecret();
    const admin = await insertTestAccount({ role: 'admin', password: PASSWORD, totpSecret: secret });
    const pending = await pendingStep({ accountId: admin.id, codeName: admin.codeName, sessionVersion: await sessionVersionOf(admin.id), stage: 'verify', secret: null, callbackPath: null });
    const now = Date.now();
    expect(await flow.completeSecondStep({ pending, code: totpCodeAt({ secret, timestampMs: now }), now: new Date(now) })).toMatchObject({ ok: true });
    // The next 30-second code is valid and unused, but the step is spent.
    const replay = await flow.completeSecondStep({ pending, code: totpCodeAt({ secret, timestampMs: now + 30_000 }), now: new Date(now) });
    expect(replay).toEqual({ ok: false, messageKey: 'auth.twoFactor.expired' });
    const signIns = (await auditRows()).filter((r) => r.targetAccountId === admin.id && r.kind === 'sign_in');
    expect(signIns).toHaveLength(1);
  });

  it('a pending-step token without its own id (made before steps were single-use) is refused', async () => {
    const { encode } = await import('next-auth/jwt');
    const { getAuthSecret } = await import('@/lib/env');
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const claims = { pid: partner.id, pcn: partner.codeName, psv: await sessionVersionOf(partner.id), pst: 'verify' };
    const token = await encode({ token: claims, secret: getAuthSecret(), salt: 'field-reports.pending-second-step', maxAge: 300 });
    expect(await pendingTokens.decodePendingSignIn(token)).toBeNull();
  });

  it('a pending-step token is never accepted as a session', async () => {
    const { encodePendingSignIn, decodePendingSignIn } = await import('@/lib/auth/pending-sign-in');
    const { resolveSessionToken, createSessionToken } = await import('./session');
    const partner = await insertTestAccount({ role: 'partner', password: PASSWORD });
    const version = await sessionVersionOf(partner.id);
    const token = await encodePendingSignIn({ accountId: partner.id, codeName: partner.codeName, sessionVersion: version, stage: 'verify', secret: null, callbackPath: null });
    expect(await resolveSessionToken(token)).toBeNull();
    expect(await decodePendingSignIn(token)).toMatchObject({ accountId: partner.id, stage: 'verify' });
    // …and a session token is not a pending step.
    expect(await decodePendingSignIn(await createSessionToken({ id: partner.id, sessionVersion: version }))).toBeNull();
    expect(await resolveSessionToken(await createSessionToken({ id: partner.id, sessionVersion: version }))).toMatchObject({ id: partner.id });
  });
});
