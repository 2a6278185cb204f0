import type { Language, Snapshot } from '@candor/core';
import type { UiHost } from '../ui-contract.js';
import { ensureStyles, h } from './dom.js';
import { t, type TextKey } from './strings.js';

/** The purpose id whose grant lets the server keep values (the server's SERVER_STORAGE_PURPOSE). */
const SERVER_STORAGE_PURPOSE = 'sync';

/**
 * The facts a badge may claim, each derived from the snapshot so no claim appears that the
 * configuration does not make true. Sensitive categories and GPC/DNT are enforced by the core for
 * every snapshot, so those two are always true.
 */
export function badgeFacts(
  snapshot: Snapshot,
  language: Language,
): { key: TextKey; params?: Record<string, string | number> }[] {
  const facts: { key: TextKey; params?: Record<string, string | number> }[] = [];
  const sync = snapshot.purposes.find((purpose) => purpose.id === SERVER_STORAGE_PURPOSE);
  const declared = snapshot.fields.some((field) => field.source === 'declared');
  if (declared) {
    facts.push(sync ? { key: 'badgeDeviceUnless', params: { purpose: sync.name[language] } } : { key: 'badgeDevice' });
  }
  facts.push({ key: 'badgeSensitive' }, { key: 'badgeGpc' });
  if (snapshot.fields.every((field) => field.origin === 'first_party')) facts.push({ key: 'badgeNoThirdParty' });
  const kept = snapshot.fields.filter((field) => field.source !== 'context').map((field) => field.retentionDays);
  if (kept.length > 0) facts.push({ key: 'badgeRetention', params: { days: Math.max(...kept) } });
  return facts;
}

/** Fills every `[data-candor-badge]` element with the facts and a link to the site's privacy page. */
export function renderBadges(host: UiHost): void {
  const snapshot = host.snapshot();
  if (!snapshot) return;
  ensureStyles(host);
  const doc = host.doc;
  const language = host.language();
  const link = host.privacyPageUrl();
  for (const element of Array.from(doc.querySelectorAll('[data-candor-badge]'))) {
    const facts = badgeFacts(snapshot, language).map((fact) => h(doc, 'li', {}, t(host, fact.key, fact.params)));
    element.replaceChildren(
      h(
        doc,
        'div',
        { class: 'candor-badge', lang: language, role: 'note' },
        h(doc, 'strong', {}, t(host, 'badgeTitle')),
        h(doc, 'ul', {}, ...facts),
        link ? h(doc, 'a', { href: link }, t(host, 'badgeLink')) : null,
      ),
    );
  }
}
