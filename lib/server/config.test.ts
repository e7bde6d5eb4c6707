import { describe, expect, it } from 'vitest';
import { parseServerEnv } from './config';
import { parseTrustedProxies } from './trusted-proxies';

describe('parseServerEnv (HOST, PORT, TRUSTED_PROXIES, SHUTDOWN_GRACE_SECONDS)', () => {
  it('listens on 127.0.0.1:3000, trusts no proxy and drains for 10 s when nothing is set', () => {
    const config = parseServerEnv({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.graceMs).toBe(10_000);
    expect(config.trustProxies.trust('127.0.0.1', 0)).toBe(false);
    expect(parseServerEnv({ HOST: '', PORT: '', TRUSTED_PROXIES: '', SHUTDOWN_GRACE_SECONDS: '' }).host).toBe('127.0.0.1');
  });

  it('takes HOST, PORT and SHUTDOWN_GRACE_SECONDS as given', () => {
    const config = parseServerEnv({ HOST: '0.0.0.0', PORT: '3400', SHUTDOWN_GRACE_SECONDS: '2.5', TRUSTED_PROXIES: 'loopback' });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3400, graceMs: 2500 });
    expect(parseServerEnv({ HOST: '::1' }).host).toBe('::1');
    expect(parseServerEnv({ HOST: 'localhost' }).host).toBe('localhost');
  });

  it('stops the start with one message naming every bad variable', () => {
    let message = '';
    try {
      parseServerEnv({ HOST: 'http://example.org', PORT: '70000', SHUTDOWN_GRACE_SECONDS: '-1', TRUSTED_PROXIES: 'true' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Field Reports cannot start; fix the environment:/);
    for (const name of ['HOST', 'PORT', 'SHUTDOWN_GRACE_SECONDS', 'TRUSTED_PROXIES']) expect(message).toContain(`- ${name}`);
  });
});

describe('parseTrustedProxies', () => {
  it('refuses values that would believe any client, naming the entry and the accepted forms', () => {
    for (const value of ['true', '*', 'all', 'loopback, any', '0.0.0.0/0', '::/0']) {
      expect(() => parseTrustedProxies(value), value).toThrow(/TRUSTED_PROXIES.*loopback/s);
    }
  });

  it('refuses what is not a hop count, an address, a range or a named range', () => {
    for (const value of ['proxy.example.org', '10.0.0.0/33', '127.1', 'loopback,,10.0.0.1', '1,loopback', '11', '-1', '10.0.0.0/abc']) {
      expect(() => parseTrustedProxies(value), value).toThrow(/TRUSTED_PROXIES/);
    }
  });

  it('a hop count trusts that many nearest hops, and never an entry that is not an address', () => {
    const { trust } = parseTrustedProxies('2');
    expect([trust('192.0.2.1', 0), trust('192.0.2.2', 1), trust('192.0.2.3', 2)]).toEqual([true, true, false]);
    expect(trust('not-an-address', 0)).toBe(false);
  });

  it('a list trusts exactly its addresses and ranges (also IPv4 seen through an IPv6 socket)', () => {
    const { trust } = parseTrustedProxies('loopback, 10.0.0.0/8, 2001:db8::/32, 192.168.1.0/255.255.255.0');
    for (const inside of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.20.30.40', '2001:db8::7', '192.168.1.9']) expect(trust(inside, 0), inside).toBe(true);
    for (const outside of ['203.0.113.5', '11.0.0.1', '2001:db9::1', '192.168.2.1']) expect(trust(outside, 0), outside).toBe(false);
  });

  it('reads back for the start-up line without any address', () => {
    expect(parseTrustedProxies('').description).toBe('none (socket address)');
    expect(parseTrustedProxies('1').description).toBe('1 hop');
    expect(parseTrustedProxies('loopback, 10.0.0.0/8, 2001:db8::1').description).toBe('loopback, 2 addresses or ranges');
  });
});
