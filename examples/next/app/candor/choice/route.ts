// Stores the visitor's consent choice in Candor's first-party cookie, so the next server render
// decides with it. The browser SDK has already recorded the choice in the consent ledger; this only
// copies it to where the server can read it. The cookie keeps no profile values: the page decides
// server-side from the choice and the request's context alone.
import type { ConsentState } from '@candor/core';
import { candor } from '../../../lib/candor';

const MAX_BODY = 8_192;

/** A consent state as the browser SDK reports it, checked field by field (the body is untrusted). */
function parseConsent(value: unknown): ConsentState | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object' || value === undefined) return undefined;
  const { purposes, signals, objectsToPersonalization, recordId, policyVersion } = value as Record<string, unknown>;
  if (typeof purposes !== 'object' || purposes === null || typeof signals !== 'object' || signals === null)
    return undefined;
  const checked: Record<string, { status: 'granted' | 'denied'; at: number }> = {};
  for (const [id, choice] of Object.entries(purposes).slice(0, 32)) {
    const { status, at } = (choice ?? {}) as Record<string, unknown>;
    if ((status !== 'granted' && status !== 'denied') || typeof at !== 'number' || !/^[a-z0-9_-]{1,64}$/.test(id))
      return undefined;
    checked[id] = { status, at };
  }
  const since = (signal: unknown) => {
    const at = (signal as { since?: unknown } | undefined)?.since;
    return typeof at === 'number' ? { since: at } : undefined;
  };
  const gpc = since((signals as Record<string, unknown>)['gpc']);
  const dnt = since((signals as Record<string, unknown>)['dnt']);
  return {
    purposes: checked,
    signals: { ...(gpc ? { gpc } : {}), ...(dnt ? { dnt } : {}) },
    ...(objectsToPersonalization === true ? { objectsToPersonalization: true } : {}),
    ...(typeof recordId === 'string' && recordId.length <= 100 ? { recordId } : {}),
    ...(typeof policyVersion === 'string' && policyVersion.length <= 100 ? { policyVersion } : {}),
  };
}

export async function POST(request: Request): Promise<Response> {
  // Only this site's own pages may set the choice: a cross-site form cannot send JSON with this
  // content type, and a cross-site fetch carries another Origin.
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== new URL(request.url).origin && origin !== `http://${request.headers.get('host')}`)
    return Response.json({ error: 'cross-origin request refused' }, { status: 403 });
  if (!(request.headers.get('content-type') ?? '').startsWith('application/json'))
    return Response.json({ error: 'send application/json' }, { status: 415 });
  const text = await request.text();
  if (text.length > MAX_BODY) return Response.json({ error: 'body too large' }, { status: 413 });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return Response.json({ error: 'malformed JSON' }, { status: 400 });
  }
  const consent = parseConsent((body as { consent?: unknown } | null)?.consent);
  if (consent === undefined)
    return Response.json({ error: 'consent must be a consent state or null' }, { status: 400 });
  const client = candor();
  await client.ready();
  if (consent === null) return new Response(null, { status: 204, headers: { 'set-cookie': client.clearCookie() } });
  const written = client.setCookie({ consent, profile: { version: 1, values: {} } });
  return written.ok
    ? new Response(null, { status: 204, headers: { 'set-cookie': written.header } })
    : Response.json({ error: written.message }, { status: 422 });
}
