import type { Purpose } from '@candor/core';
import { callbackAdapter } from './callback-source.js';
import { consentModeAdapter } from './consent-mode-source.js';
import { SOURCE_NAMES, type CmpAdapter, type CmpReading, type ConnectOptions, type SourceName } from './contract.js';
import { cookieConsentAdapter } from './cookieconsent-source.js';
import { gppAdapter } from './gpp-source.js';
import { klaroAdapter } from './klaro-source.js';
import { mappedPurposeIds, parseSiteMap, purposeGrants } from './purpose-grants.js';
import { tcfAdapter } from './tcf-source.js';

/** How long a declared CMP may stay absent before Candor reports it silent (ms). */
export const SILENT_AFTER_MS = 1000;

type Requirements = (purpose: Purpose) => readonly string[];
const UNMAPPED: Requirements = () => [];

function createAdapter(
  options: ConnectOptions,
  name: SourceName,
  siteMap: Requirements | undefined,
): CmpAdapter | string {
  const { win } = options;
  switch (name) {
    case 'callback':
      return options.callback
        ? callbackAdapter(options.callback, siteMap ?? UNMAPPED)
        : 'data-consent-source="callback" needs window.candorConfig.consentSource = { read, subscribe } before candor.js';
    case 'cookieconsent':
      return cookieConsentAdapter(win, siteMap ?? UNMAPPED);
    case 'klaro':
      return klaroAdapter(win, siteMap ?? UNMAPPED);
    case 'consent-mode':
      return consentModeAdapter(win, siteMap);
    case 'tcf':
      return tcfAdapter(win, siteMap);
    case 'gpp':
      return gppAdapter(win, siteMap);
  }
}

// Sources whose categories are the site's own names: without a map nothing can be granted.
const NEEDS_MAP: ReadonlySet<SourceName> = new Set(['callback', 'cookieconsent', 'klaro']);

/**
 * Connects the declared consent source: every answer it gives becomes Candor grants (told to the
 * head once per change), and a CMP still absent after `waitMs` is reported as CONSENT_SOURCE_SILENT.
 * Nothing here makes a decision wait: the head has already decided with what was granted.
 */
export function connect(options: ConnectOptions): () => void {
  const { onError } = options;
  const name = SOURCE_NAMES.find((known) => known === options.name);
  if (!name) {
    onError({
      code: 'CONSENT_SOURCE_FAILED',
      message: `data-consent-source="${options.name.slice(0, 40)}" is unknown; use one of ${SOURCE_NAMES.join(', ')}`,
    });
    return () => undefined;
  }
  // An empty map (site settings without one) means the source's own table, as no map does.
  const raw = options.map === undefined || /^\s*\{\s*\}\s*$/.test(options.map) ? undefined : options.map;
  const siteMap = raw === undefined ? undefined : parseSiteMap(raw);
  if (raw !== undefined && !siteMap)
    onError({
      code: 'CONSENT_SOURCE_INVALID',
      message: 'data-consent-map is not a JSON object of CMP category → purpose id (or ids); nothing is granted',
    });
  else if (raw !== undefined) {
    const unknown = mappedPurposeIds(raw).filter((id) => !options.purposes.some((purpose) => purpose.id === id));
    if (unknown.length > 0)
      onError({
        code: 'CONSENT_SOURCE_INVALID',
        message: `data-consent-map names ${unknown.join(', ').slice(0, 200)}, which this site has no purpose for; those grant nothing`,
      });
  } else if (!siteMap && NEEDS_MAP.has(name))
    onError({
      code: 'CONSENT_SOURCE_INVALID',
      message: `data-consent-source="${name}" needs data-consent-map (CMP category → purpose id); nothing is granted until it has one`,
    });
  const adapter = createAdapter(options, name, siteMap);
  if (typeof adapter === 'string') {
    onError({ code: 'CONSENT_SOURCE_FAILED', message: adapter });
    return () => undefined;
  }
  let answered = false;
  let reportedInvalid = false;
  let told: string | undefined;
  const apply = (): void => {
    let reading: CmpReading;
    try {
      reading = adapter.read();
    } catch {
      // A CMP that throws on read is one that has not answered.
      reading = { kind: 'absent' };
    }
    if (reading.kind === 'absent') return;
    answered = true;
    if (reading.kind === 'undecided') return;
    if (reading.kind === 'invalid' && !reportedInvalid) {
      reportedInvalid = true;
      onError({ code: 'CONSENT_SOURCE_INVALID', message: `${name}: ${reading.message}; nothing is granted` });
    }
    // An invalid answer is no objection either: it grants nothing and leaves contextual use alone.
    const grants =
      reading.kind === 'decided'
        ? purposeGrants(options.purposes, reading.categories, adapter.requirements)
        : purposeGrants(options.purposes, {}, UNMAPPED);
    const key = JSON.stringify(grants);
    if (key === told) return;
    told = key;
    options.onGrants(grants, `cmp:${name}`, notice(name, options.purposes, adapter.requirements));
  };
  let unsubscribe: () => void = () => undefined;
  try {
    unsubscribe = adapter.subscribe(apply);
    apply();
  } catch {
    onError({ code: 'CONSENT_SOURCE_FAILED', message: `${name}: the CMP's API threw; Candor keeps what was granted` });
  }
  const timer = options.win.setTimeout(() => {
    if (!answered)
      onError({
        code: 'CONSENT_SOURCE_SILENT',
        message: `${name}: no answer from the CMP yet; the page shows what needs no consent, and a later answer still applies`,
      });
  }, options.waitMs ?? SILENT_AFTER_MS);
  return () => {
    options.win.clearTimeout(timer);
    unsubscribe();
  };
}

/**
 * What the ledger records as the "notice" behind a CMP's choice: Candor showed no text, so the
 * record proves which source and which mapping turned the CMP's answer into grants.
 */
export function notice(name: SourceName, purposes: readonly Purpose[], requirements: Requirements): string {
  const mapping = purposes
    .filter((purpose) => purpose.class !== 'essential')
    .map((purpose) => `${purpose.id}=${requirements(purpose).join('+') || 'unmapped'}`);
  return `cmp:${name} ${mapping.join(',')}`;
}
