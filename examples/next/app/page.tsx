// The shop's page, decided on the server: the visitor's choice and visitor id come from Candor's
// first-party cookie (written by the browser SDK), the campaign from the URL, and every decision is
// in the first HTML, an experiment's arm included. The browser SDK starts after hydration, decides
// from the same cookie and snapshot, and so finds nothing to change.
import { headers } from 'next/headers';
import { initialDecisions } from '@candor/react/server';
import { candor, candorSettings } from '../lib/candor';
import { pageLanguage } from '../lib/language';
import { Shop } from './shop';

// Every request is decided for its own visitor: never prerender or cache this page.
export const dynamic = 'force-dynamic';

// `offer` is personalised by campaign; `banner` is an A/B test, decided here from the cookie's visitor id.
const SLOTS = ['offer', 'banner'];

export default async function Page({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const request = { headers: await headers() };
  const campaign = (await searchParams)['utm_campaign'];
  const { decisions, visitor } = await candor().decide(request, {
    slots: SLOTS,
    // Context fields need no consent: what the request itself says, bounded like any input.
    attributes: {
      path: '/',
      ...(typeof campaign === 'string' && campaign.length <= 100 ? { utmCampaign: campaign } : {}),
    },
  });
  const settings = candorSettings();
  return (
    <Shop
      options={{ siteKey: settings.siteKey, api: settings.serverUrl, publicKey: settings.publicKey }}
      // Only this page's slots go into the HTML: another page's content is none of this page's business.
      decisions={initialDecisions(decisions.filter((decision) => SLOTS.includes(decision.slot)))}
      language={pageLanguage(request.headers.get('accept-language'))}
      choiceMade={visitor.choiceMade}
    />
  );
}
