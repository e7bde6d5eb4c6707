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
