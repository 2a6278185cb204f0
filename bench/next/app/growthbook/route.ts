// GrowthBook's Node SDK evaluates the same experiences as features for the same visitor, whose
// attributes arrive the way a GrowthBook site would keep them: a first-party cookie of JSON.
import { GrowthBookClient } from '@growthbook/growthbook';
import { contextOf, GROWTHBOOK_FEATURES, SLOTS } from '../../lib/workload-files';

const growthbook = new GrowthBookClient({});
growthbook.initSync({ payload: { features: GROWTHBOOK_FEATURES as never } });

export const dynamic = 'force-dynamic';

function cookie(request: Request, name: string): string {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return '';
}

export async function GET(request: Request): Promise<Response> {
  const stored = JSON.parse(Buffer.from(cookie(request, 'gb_bench'), 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const attributes = { ...stored, ...contextOf(request) };
  return Response.json(SLOTS.map((slot) => [slot, growthbook.evalFeature(slot, { attributes }).value ?? null]));
}
