import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// Global unicast IPv6 lives in 2000::/3; everything else (IPv4-compatible ::a.b.c.d, NAT64's
// 64:ff9b::/96 and 64:ff9b:1::/48, discard, unique-local, link-local, multicast…) is never public.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Whether an IP address is a public unicast address a webhook may be delivered to. ipaddr.js names
 * every special range (loopback, private, link-local with cloud metadata at 169.254.169.254,
 * carrier-grade NAT, reserved, documentation, benchmarking, multicast…); only `unicast` passes. IPv6
 * forms that carry an IPv4 address (mapped ::ffff:0:0/96, 6to4 2002::/16, Teredo, NAT64) are refused
 * whatever they carry: a target is named in its own family, and a translator may reach inside.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address) || isIP(address) === 0) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  return v6.match(GLOBAL_UNICAST_V6) && v6.range() === 'unicast';
}

/** Resolves a host name to every address it has (A and AAAA). */
export type HostResolver = (host: string) => Promise<readonly string[]>;

/** The system resolver, as `fetch` and `http.request` would use it. */
export const systemResolver: HostResolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** Where webhooks may point: public https only, unless the operator allows private targets (local testing). */
export interface WebhookTargetPolicy {
  /** `CANDOR_WEBHOOK_ALLOW_PRIVATE=1`: http and loopback/private addresses allowed. */
  readonly allowPrivate: boolean;
}

/**
 * Checks a webhook URL against the policy, resolving its host; returns why it is refused, or
 * undefined when every address it resolves to is public. Run at registration and again at each delivery.
 */
export async function refuseWebhookTarget(
  url: string,
  policy: WebhookTargetPolicy,
  resolve: HostResolver = systemResolver,
): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The webhook URL is not a valid URL.';
  }
  if (policy.allowPrivate) {
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? undefined
      : 'Webhook URLs must use http or https.';
  }
  if (parsed.protocol !== 'https:') {
    return 'Webhook URLs must use https (set CANDOR_WEBHOOK_ALLOW_PRIVATE=1 to allow http for local testing).';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'Webhook URLs must not carry credentials.';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly string[];
  try {
    addresses = isIP(host) === 0 ? await resolve(host) : [host];
  } catch {
    return `The webhook host ${host} could not be resolved.`;
  }
  if (addresses.length === 0) return `The webhook host ${host} could not be resolved.`;
  // The answer never names the address: it would turn registration into a probe of internal DNS.
  if (addresses.some((address) => !isPublicAddress(address))) {
    return (
      `The webhook host ${host} is or resolves to a loopback, private, link-local or otherwise non-public ` +
      'address; webhooks may only reach public addresses (CANDOR_WEBHOOK_ALLOW_PRIVATE=1 allows them for local testing).'
    );
  }
  return undefined;
}
