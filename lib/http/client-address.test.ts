import { describe, expect, it } from 'vitest';
import { clientAddressFrom, CLIENT_ADDRESS_HEADER, throttleBucketOf } from './client-address';

describe('throttleBucketOf', () => {
  it('puts every address of one IPv6 /64 in one bucket, so rotating the host part buys an attacker nothing', () => {
    const buckets = new Set(Array.from({ length: 40 }, (_, i) => throttleBucketOf(`2001:db8:aa:bb:${i.toString(16)}::${(i * 7).toString(16)}`)));
    expect([...buckets]).toEqual(['2001:db8:aa:bb::/64']);
    expect(throttleBucketOf('2001:0db8:00aa:00bb:ffff:ffff:ffff:ffff')).toBe('2001:db8:aa:bb::/64');
  });

  it('keeps neighbouring /64s and IPv4 addresses apart', () => {
    expect(throttleBucketOf('2001:db8:aa:bc::1')).not.toBe(throttleBucketOf('2001:db8:aa:bb::1'));
    expect(throttleBucketOf('198.51.100.7')).toBe('198.51.100.7');
    expect(throttleBucketOf('198.51.100.8')).not.toBe(throttleBucketOf('198.51.100.7'));
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(throttleBucketOf('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('gives unparseable, blank and missing addresses a bucket of their own without throwing', () => {
    expect(throttleBucketOf('not an address')).toBe('not an address');
    expect(throttleBucketOf('  ')).toBe('unknown');
    expect(throttleBucketOf(null)).toBe('unknown');
  });
});

describe('clientAddressFrom', () => {
  it('reads only the header server.ts sets, never X-Forwarded-For', () => {
    expect(clientAddressFrom(new Headers({ 'x-forwarded-for': '203.0.113.9' }))).toBeNull();
    expect(clientAddressFrom(new Headers({ [CLIENT_ADDRESS_HEADER]: ' 198.51.100.7 ' }))).toBe('198.51.100.7');
  });
});
