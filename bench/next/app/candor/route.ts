// Candor: the server SDK decides every slot for the visitor in Candor's cookie, as examples/next does.
import { createCandorClient } from '@candor/node';
import { contextOf, PUBLIC_KEY, SLOTS, SNAPSHOT_BODY, SNAPSHOT_SIGNATURE } from '../../lib/workload-files';

// The snapshot comes from the prepared file instead of a Candor server, signed and verified as usual.
const client = createCandorClient({
  serverUrl: 'http://candor.invalid',
  siteKey: 'bench',
  publicKey: PUBLIC_KEY,
  liveUpdates: false,
  fetch: async () =>
    new Response(SNAPSHOT_BODY, { headers: { 'candor-signature': SNAPSHOT_SIGNATURE, etag: '"bench"' } }),
});

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const { decisions } = await client.decide(request, { slots: SLOTS, attributes: contextOf(request) });
  return Response.json(decisions.map((decision) => [decision.slot, decision.variant?.id ?? null]));
}
