import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './webhook-address.js';

/**
 * A DNS lookup for the socket itself that fails on any non-public address, so a host that resolved
 * to a public address when checked cannot rebind to an internal one for the connection (DNS rebinding).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, options as LookupOptions, (error, address: string | LookupAddress[], family?: number) => {
    if (error !== null) {
      callback(error, '', 0);
      return;
    }
    const all = typeof address === 'string' ? [{ address, family: family ?? 4 }] : address;
    if (all.some((entry) => !isPublicAddress(entry.address))) {
      // The delivery log shows this message to admins: it names the host, never the address.
      const refused = Object.assign(new Error(`webhook host ${hostname} resolved to a non-public address`), {
        code: 'ERR_WEBHOOK_PRIVATE_ADDRESS',
      });
      callback(refused, '', 0);
      return;
    }
    if (typeof address === 'string') callback(null, address, family ?? 4);
    else (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, address);
  });
};

/** POSTs one webhook body; resolves with the HTTP status, rejects on network errors and refused addresses. */
export function postWebhook(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  options: { readonly allowPrivate: boolean; readonly timeoutMs: number },
): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('webhook delivery timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
