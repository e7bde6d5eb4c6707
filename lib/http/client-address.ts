import ipaddr from 'ipaddr.js';

/**
 * The address of the client that sent a request, as the app's own HTTP server (server.ts) worked it
 * out from the socket and the `TRUSTED_PROXIES` setting (issue 16 item 7; docs/security/README.md).
 * The server deletes any copy of this header a client sent and sets its own, so nothing here reads
 * `X-Forwarded-For` directly: a header a client controls never picks the address that throttling
 * counts against.
 *
 * Used only for throttling (hashed before it is stored); never logged, never shown.
 */
export const CLIENT_ADDRESS_HEADER = 'x-fr-client-address';

/**
 * The client address for throttling, or null when the request did not pass through server.ts
 * (then callers count it under one shared 'unknown' bucket).
 * @param headers the request's headers (`await headers()` in a Server Action, `request.headers` in a route)
 * @returns an IPv4 or IPv6 address as text (IPv4-mapped IPv6 written as IPv4), or null
 */
export function clientAddressFrom(headers: Headers): string | null {
  const value = headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  return value ? value : null;
}

/**
 * The bucket a client address is throttled in: an IPv4 address as itself; an IPv6 address by its
 * /64 prefix, since one subscriber line or host is routinely given a whole /64 and could otherwise
 * spread attempts over 2^64 addresses (OWASP Authentication Cheat Sheet, "per-IP" limits; RFC 6177
 * on end-site prefixes); an IPv4-mapped IPv6 address as its IPv4 address. Anything that does not
 * parse as an address is its own (trimmed) bucket; null or blank is 'unknown'.
 * @param address the value from clientAddressFrom
 * @returns e.g. '198.51.100.7', '2001:db8:1:2::/64', 'unknown'
 */
export function throttleBucketOf(address: string | null | undefined): string {
  const text = address?.trim();
  if (!text) return 'unknown';
  if (!ipaddr.isValid(text)) return text;
  const parsed = ipaddr.process(text);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}
