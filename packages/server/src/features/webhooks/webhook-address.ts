import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Addresses a webhook may never reach unless the operator opts in: loopback, private, link-local
// (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved and their IPv6 kin.
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is a public unicast address a webhook may be delivered to. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return isPublicAddress(mapped[1]);
  return !blocked.check(address, 'ipv6');
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
  const internal = addresses.find((address) => !isPublicAddress(address));
  if (internal !== undefined) {
    return (
      `The webhook host ${host} resolves to ${internal}, a loopback, private or link-local address; ` +
      'webhooks may only reach public addresses (CANDOR_WEBHOOK_ALLOW_PRIVATE=1 allows them for local testing).'
    );
  }
  return undefined;
}
