/**
 * Which proxies' `X-Forwarded-For` the server believes (`TRUSTED_PROXIES`; issue 16 item 7,
 * docs/security/README.md "Client address"). The rule is express's `trust proxy`, computed by the
 * same package (proxy-addr): walk from the socket's peer towards the client, through the header's
 * entries from its end, for as long as each address is a trusted proxy; the first one that is not
 * is the client. So a client can prepend what it likes to the header and is never believed, and
 * with nothing trusted the header is not read at all.
 *
 * No 'server-only' import: server.ts loads this outside Next's bundle.
 */
import net from 'node:net';
import proxyAddr from 'proxy-addr';

/** proxy-addr's trust test: `addr` is the candidate, `hop` its distance from us (0 = the socket's peer). */
export type TrustFunction = (addr: string, hop: number) => boolean;

export type TrustedProxies = {
  /** How the setting reads in the start-up line: `none (socket address)`, `1 hop`, `loopback, 2 addresses or ranges` (no address). */
  description: string;
  trust: TrustFunction;
};

/** Proxy chains longer than this are a configuration mistake, not a deployment. */
export const MAX_TRUSTED_HOPS = 10;

/** proxy-addr's named ranges (loopback: 127.0.0.0/8, ::1; uniquelocal: 10/8, 172.16/12, 192.168/16, fc00::/7; linklocal: 169.254/16, fe80::/10). */
const NAMED_RANGES = new Set(['loopback', 'uniquelocal', 'linklocal']);

/** Raised for a value of TRUSTED_PROXIES the server cannot use; its message says what to write instead. */
export class TrustedProxiesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedProxiesError';
  }
}

const FORMS =
  'Use nothing (the socket address, no proxy), a hop count such as `1` (one reverse proxy in front), or a comma-separated list of the proxies\' addresses: IP addresses, CIDR ranges (10.0.0.0/8), `loopback`, `uniquelocal`, `linklocal`.';

/**
 * Parse TRUSTED_PROXIES.
 * - unset or empty (or `0`): no proxy is trusted; the client is the socket's peer;
 * - a whole number n (1–MAX_TRUSTED_HOPS): the n nearest hops are proxies (1 = one reverse proxy in
 *   front; the client is the last entry it appended to X-Forwarded-For);
 * - a comma list of IP addresses, CIDR ranges (`a.b.c.d/n`, `a.b.c.d/mask`, IPv6 `/n`) and the
 *   names `loopback`, `uniquelocal`, `linklocal`: proxies are the hops whose address is in the list.
 * Entries in X-Forwarded-For that are not IP addresses are never trusted (the walk stops there).
 * @throws TrustedProxiesError naming the bad entry and the accepted forms; `true`, `*`, `all` and
 *   ranges of prefix 0 are refused, since trusting every hop lets any client choose its address
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const text = (value ?? '').trim();
  if (text === '' || text === '0') return { description: 'none (socket address)', trust: () => false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_TRUSTED_HOPS) throw new TrustedProxiesError(`TRUSTED_PROXIES=${text}: at most ${MAX_TRUSTED_HOPS} hops. ${FORMS}`);
    return { description: `${hops} hop${hops === 1 ? '' : 's'}`, trust: (addr, hop) => hop < hops && net.isIP(addr) !== 0 };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (entry === '') throw new TrustedProxiesError(`TRUSTED_PROXIES="${text}" has an empty entry. ${FORMS}`);
    if (/^(true|\*|all|any)$/i.test(entry)) {
      throw new TrustedProxiesError(`TRUSTED_PROXIES: "${entry}" would believe every client's X-Forwarded-For, so anyone could choose the address sign-in throttling counts. ${FORMS}`);
    }
    if (/^\d+$/.test(entry)) throw new TrustedProxiesError(`TRUSTED_PROXIES="${text}": a hop count stands alone, not in a list. ${FORMS}`);
    if (NAMED_RANGES.has(entry)) continue;
    // proxy-addr also reads shorthand like "127.1"; only plain addresses are accepted here, so the
    // value means what it looks like.
    const address = entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : entry;
    if (net.isIP(address) === 0) throw new TrustedProxiesError(`TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range or a named range. ${FORMS}`);
  }
  let compiled: TrustFunction;
  try {
    compiled = proxyAddr.compile(entries);
  } catch (error) {
    // proxy-addr: "invalid range on address: …" (prefix 0 or too long, or a bad netmask).
    throw new TrustedProxiesError(`TRUSTED_PROXIES: ${(error as Error).message}. ${FORMS}`);
  }
  // Log lines carry no addresses (docs/security/README.md "Audit and privacy"): named ranges by
  // name, the rest counted.
  const named = entries.filter((entry) => NAMED_RANGES.has(entry));
  const others = entries.length - named.length;
  return { description: [...named, ...(others ? [`${others} address${others === 1 ? '' : 'es'} or range${others === 1 ? '' : 's'}`] : [])].join(', '), trust: compiled };
}
