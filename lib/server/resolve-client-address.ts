/**
 * The client address of a request, from its socket and the trusted proxies (TRUSTED_PROXIES,
 * lib/server/trusted-proxies.ts). server.ts writes it into the request as `x-fr-client-address`
 * (lib/http/client-address.ts), which is the only place request code reads it.
 *
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import proxyAddr from 'proxy-addr';
import type { TrustFunction } from './trusted-proxies';

/** `::ffff:192.0.2.1` → `192.0.2.1` (a dual-stack socket reports IPv4 peers that way); others unchanged. */
export function canonicalAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * The address of the client that sent `req`: the socket's peer, or — when that peer is a trusted
 * proxy — the nearest X-Forwarded-For entry (counting from the end) that is not a trusted proxy.
 * An entry that is not an IP address is never the answer: then the hop before it (a trusted
 * proxy, which wrote it) is.
 * @returns an IPv4 or IPv6 address as text (IPv4-mapped IPv6 written as IPv4), or null when the
 *   socket has no peer address (it closed before the request was read)
 */
export function resolveClientAddress(req: IncomingMessage, trust: TrustFunction): string | null {
  if (!req.socket?.remoteAddress) return null;
  // proxy-addr.all: [socket peer, last X-Forwarded-For entry, …] up to and including the first
  // hop that is not trusted.
  const hops = proxyAddr.all(req, (addr, hop) => net.isIP(addr) !== 0 && trust(addr, hop));
  for (let i = hops.length - 1; i >= 0; i--) {
    const candidate = hops[i]!.trim();
    if (net.isIP(candidate) !== 0) return canonicalAddress(candidate);
  }
  return null;
}
