import type { Purpose } from '@candor/core';
import type { CmpAdapter, CmpReading } from './contract.js';
import { tcfCategories, tcfRequirements } from './tcf-source.js';
import { whenPresent } from './when-present.js';

/** The part of a `__gpp` ping the reader uses (a subset, not the IAB package's types). */
export interface GppPing {
  readonly signalStatus?: string;
  readonly applicableSections?: readonly number[];
  readonly parsedSections?: Readonly<Record<string, unknown>>;
}

type GppApi = (command: string, callback: (data: unknown, success: boolean) => void, param?: unknown) => void;

// GPP's US national and state sections share these opt-out fields: 0 not applicable, 1 opted out,
// 2 did not opt out.
const OPTED_OUT = 1;
const US_CATEGORIES = ['us:sale', 'us:sharing'] as const;

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A purpose-numbered vector (GPP gives arrays, index 0 = purpose 1) as TCData's shape. */
function byPurpose(vector: unknown): Record<string, boolean> {
  return Array.isArray(vector) ? Object.fromEntries(vector.map((on, i) => [String(i + 1), on === true])) : {};
}

/**
 * A GPP ping as categories. The EU TCF section reads like `__tcfapi` (`consent:N`, `li:N`); the
 * US sections give `us:sale` and `us:sharing`, each true only when the visitor did not opt out and
 * sent no GPC. Any US section that records an opt-out denies it for all.
 */
export function readGppPing(ping: GppPing | undefined): CmpReading {
  if (!ping) return { kind: 'absent' };
  if (ping.signalStatus !== 'ready') return { kind: 'undecided' };
  const sections = record(ping.parsedSections) ?? {};
  const categories: Record<string, boolean> = {};
  const tcf = record(sections['tcfeuv2']);
  if (tcf)
    Object.assign(
      categories,
      tcfCategories(byPurpose(tcf['PurposeConsents']), byPurpose(tcf['PurposeLegitimateInterests'])),
    );
  const us = Object.entries(sections)
    .filter(([name]) => name.startsWith('us'))
    .map(([, section]) => record(section) ?? {});
  if (us.length > 0) {
    const gpc = us.some((section) => section['Gpc'] === true);
    const allowed = (field: string) => !gpc && us.every((section) => section[field] !== OPTED_OUT);
    categories['us:sale'] = allowed('SaleOptOut');
    categories['us:sharing'] = allowed('SharingOptOut') && allowed('TargetedAdvertisingOptOut');
  }
  return { kind: 'decided', categories };
}

/**
 * What a Candor purpose needs from GPP: the TCF table when the EU section is present; under US
 * sections only profiling purposes map (no sale, no sharing opt-out); everything else is unmappable.
 */
export function gppRequirements(hasTcfSection: () => boolean): (purpose: Purpose) => readonly string[] {
  return (purpose) => {
    if (hasTcfSection()) return tcfRequirements(purpose);
    return purpose.class === 'behavioural' || purpose.class === 'cross_site' ? US_CATEGORIES : [];
  };
}

/** Reads GPP through the page's `__gpp` (read-only: Candor never acts as the CMP). */
export function gppAdapter(win: Window, siteMap: ((purpose: Purpose) => readonly string[]) | undefined): CmpAdapter {
  let latest: GppPing | undefined;
  const api = (): GppApi | undefined => {
    const candidate = (win as { __gpp?: unknown }).__gpp;
    return typeof candidate === 'function' ? (candidate as GppApi) : undefined;
  };
  return {
    read: () => readGppPing(latest),
    subscribe(onChange) {
      return whenPresent(win, api, (gpp) => {
        let listenerId: unknown;
        gpp('addEventListener', (event, success) => {
          const data = record(event);
          if (!success || !data) return;
          listenerId = data['listenerId'];
          latest = record(data['pingData']) as GppPing | undefined;
          onChange();
        });
        return () => gpp('removeEventListener', () => undefined, listenerId);
      });
    },
    requirements: siteMap ?? gppRequirements(() => record(latest?.parsedSections)?.['tcfeuv2'] !== undefined),
  };
}
