import { describe, expect, it } from 'vitest';
import { deviceNameDigest, knownDeviceFor, newDeviceToken, rememberedDevicesAfterSignIn } from './known-device';
import { DEVICE_COOKIE_MAX_AGE_SECONDS, DEVICES_PER_COOKIE } from './throttle-policy';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('known-device tokens', () => {
  it('prove a device for the code name they were issued to, in any case, and for no other', () => {
    const token = newDeviceToken('Night-Heron', NOW);
    expect(knownDeviceFor(token, 'night-heron', NOW)).toMatchObject({ nameDigest: deviceNameDigest('NIGHT-HERON') });
    expect(knownDeviceFor(token, 'grey-heron', NOW)).toBeNull();
  });

  it('never carry the code name itself, and each is a new device id', () => {
    const a = newDeviceToken('night-heron', NOW);
    const b = newDeviceToken('night-heron', NOW);
    expect(a.toLowerCase()).not.toContain('heron');
    expect(knownDeviceFor(a, 'night-heron', NOW)!.deviceId).not.toBe(knownDeviceFor(b, 'night-heron', NOW)!.deviceId);
  });

  it('count a forged, altered, expired or future token as no cookie', () => {
    const token = newDeviceToken('night-heron', NOW);
    const [name, device, issued, mac] = token.split('.') as [string, string, string, string];
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    expect(knownDeviceFor(`${name}.${device}.${issued}.${flipped}`, 'night-heron', NOW)).toBeNull();
    // The last character's spare bits too (a base64 decoder alone would read 'A' and 'B' there alike).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spare = alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1]!;
    expect(Buffer.from(`${mac.slice(0, -1)}${spare}`, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    expect(knownDeviceFor(`${name}.${device}.${issued}.${mac.slice(0, -1)}${spare}`, 'night-heron', NOW)).toBeNull();
    // Another device id or issue time under the same signature.
    expect(knownDeviceFor(`${name}.${'A'.repeat(22)}.${issued}.${mac}`, 'night-heron', NOW)).toBeNull();
    expect(knownDeviceFor(`${name}.${device}.${Number(issued) + 3600}.${mac}`, 'night-heron', NOW)).toBeNull();
    // The name digest of the account under attack pasted into a token made for another account.
    const other = newDeviceToken('grey-heron', NOW).split('.');
    expect(knownDeviceFor([deviceNameDigest('night-heron'), ...other.slice(1)].join('.'), 'night-heron', NOW)).toBeNull();
    expect(knownDeviceFor(token, 'night-heron', NOW + (DEVICE_COOKIE_MAX_AGE_SECONDS + 1) * 1000)).toBeNull();
    expect(knownDeviceFor(newDeviceToken('night-heron', NOW + 3600_000), 'night-heron', NOW)).toBeNull();
    for (const junk of ['', 'x', `${token}~`.repeat(40), 'a.b.c.d', token.replace(/\./g, '~')]) expect(knownDeviceFor(junk, 'night-heron', NOW)).toBeNull();
  });

  it('a token signed with another NEXTAUTH_SECRET is refused', async () => {
    const token = newDeviceToken('night-heron', NOW);
    const saved = process.env.NEXTAUTH_SECRET;
    const { vi } = await import('vitest');
    vi.resetModules();
    process.env.NEXTAUTH_SECRET = 'another secret of at least thirty-two bytes, for this test';
    try {
      const fresh = await import('./known-device');
      expect(fresh.knownDeviceFor(token, 'night-heron', NOW)).toBeNull();
      expect(fresh.knownDeviceFor(fresh.newDeviceToken('night-heron', NOW), 'night-heron', NOW)).not.toBeNull();
    } finally {
      if (saved === undefined) delete process.env.NEXTAUTH_SECRET;
      else process.env.NEXTAUTH_SECRET = saved;
      vi.resetModules();
    }
  });

  it('one browser remembers a few code names, newest first, and renews the one signing in', () => {
    let cookie = rememberedDevicesAfterSignIn(null, 'first', NOW);
    const firstDevice = knownDeviceFor(cookie, 'first', NOW)!.deviceId;
    for (const name of ['second', 'third', 'fourth']) cookie = rememberedDevicesAfterSignIn(cookie, name, NOW);
    expect(cookie.split('~')).toHaveLength(DEVICES_PER_COOKIE);
    for (const name of ['first', 'second', 'third', 'fourth']) expect(knownDeviceFor(cookie, name, NOW)).not.toBeNull();
    cookie = rememberedDevicesAfterSignIn(cookie, 'first', NOW);
    expect(knownDeviceFor(cookie, 'first', NOW)!.deviceId).not.toBe(firstDevice);
    expect(cookie.split('~')).toHaveLength(DEVICES_PER_COOKIE);
    cookie = rememberedDevicesAfterSignIn(cookie, 'fifth', NOW);
    expect(knownDeviceFor(cookie, 'second', NOW)).toBeNull();
    expect(knownDeviceFor(cookie, 'fifth', NOW)).not.toBeNull();
    // A forged entry is dropped, not carried along.
    expect(rememberedDevicesAfterSignIn(`garbage~${cookie}`, 'sixth', NOW).split('~')).not.toContain('garbage');
  });
});
