import type { Purpose } from '@candor/core';
import type { CmpAdapter, CmpReading } from './contract.js';
import { whenPresent } from './when-present.js';

/** The part of a `__tcfapi` TCData answer the reader uses (a subset, not the IAB package's types). */
export interface TcData {
  readonly gdprApplies?: boolean;
  readonly eventStatus?: string;
  readonly tcString?: string;
  readonly purpose?: {
    readonly consents?: Readonly<Record<string, boolean>>;
    readonly legitimateInterests?: Readonly<Record<string, boolean>>;
  };
}

type TcfApi = (
  command: string,
  version: number,
  callback: (data: TcData, success: boolean) => void,
  param?: unknown,
) => void;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// TCF v2.3: a TC string created from this day on must carry the disclosedVendors segment.
const DISCLOSED_VENDORS_REQUIRED_FROM_DS = Date.UTC(2026, 2, 1) / 100;
const DISCLOSED_VENDORS_SEGMENT = 1;

/** The core segment's `Created` field (bits 6–41, deciseconds since the epoch), or undefined. */
function createdDeciseconds(core: string): number | undefined {
  let value = 0;
  for (let i = 0; i < 7; i++) {
    const digit = BASE64URL.indexOf(core.charAt(i));
    if (digit < 0) return undefined;
    value = value * 64 + digit;
  }
  // 42 bits read; drop the 6-bit version in front (exact: 2^42 fits a double).
  return value % 2 ** 36;
}

/**
 * Whether a TC string breaks TCF v2.3: created on or after 2026-03-01 without a disclosedVendors
 * segment (each segment after the core names its type in its first 3 bits).
 */
export function lacksDisclosedVendors(tcString: string): boolean {
  const [core = '', ...segments] = tcString.split('.');
  const created = createdDeciseconds(core);
  if (created === undefined) return true;
  if (created < DISCLOSED_VENDORS_REQUIRED_FROM_DS) return false;
  return !segments.some((segment) => BASE64URL.indexOf(segment.charAt(0)) >> 3 === DISCLOSED_VENDORS_SEGMENT);
}

/**
 * TCData as categories: `consent:N` when purpose N has consent, `li:N` when it has consent or the
 * visitor did not object to legitimate interest. An invalid string grants nothing.
 */
export function readTcData(data: TcData | undefined): CmpReading {
  if (!data) return { kind: 'absent' };
  if (data.gdprApplies === false) return { kind: 'undecided' };
  if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return { kind: 'undecided' };
  if (typeof data.tcString !== 'string' || lacksDisclosedVendors(data.tcString))
    return { kind: 'invalid', message: 'the TC string lacks the disclosedVendors segment TCF v2.3 requires' };
  return {
    kind: 'decided',
    categories: tcfCategories(data.purpose?.consents ?? {}, data.purpose?.legitimateInterests ?? {}),
  };
}

/** Purpose-numbered consent and legitimate-interest vectors as `consent:N` / `li:N` categories. */
export function tcfCategories(
  consents: Readonly<Record<string, boolean>>,
  interests: Readonly<Record<string, boolean>>,
): Record<string, boolean> {
  const categories: Record<string, boolean> = {};
  for (let n = 1; n <= 11; n++) {
    const consent = consents[n] === true;
    categories[`consent:${n}`] = consent;
    categories[`li:${n}`] = consent || interests[n] === true;
  }
  return categories;
}

/**
 * The TCF purposes a Candor purpose needs (docs/privacy.md §2, carried by each snapshot purpose):
 * consent for a consent-based purpose (TCF v2.2 allows only consent for 3–6), consent or no
 * objection for one resting on legitimate interest. A purpose without TCF purposes is unmappable.
 */
export function tcfRequirements(purpose: Purpose): readonly string[] {
  const prefix = purpose.legalBasis === 'legitimate_interest' ? 'li' : 'consent';
  return (purpose.tcf?.purposes ?? []).map((n) => `${prefix}:${n}`);
}

/** Reads TCF v2.2/v2.3 through the page's `__tcfapi` (read-only: Candor never acts as the CMP). */
export function tcfAdapter(win: Window, siteMap: ((purpose: Purpose) => readonly string[]) | undefined): CmpAdapter {
  let latest: TcData | undefined;
  const api = (): TcfApi | undefined => {
    const candidate = (win as { __tcfapi?: unknown }).__tcfapi;
    return typeof candidate === 'function' ? (candidate as TcfApi) : undefined;
  };
  return {
    read: () => readTcData(latest),
    subscribe(onChange) {
      return whenPresent(win, api, (tcfapi) => {
        let listenerId: unknown;
        tcfapi('addEventListener', 2, (data, success) => {
          if (!success) return;
          listenerId = (data as { listenerId?: unknown }).listenerId;
          latest = data;
          onChange();
        });
        return () => tcfapi('removeEventListener', 2, () => undefined, listenerId);
      });
    },
    requirements: siteMap ?? tcfRequirements,
  };
}
