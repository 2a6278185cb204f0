/**
 * Candor's main job until the server lands: load a published snapshot and print, for a few
 * sample visitors, what each slot shows and the "Why am I seeing this?" text the visitor reads.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decide,
  explain,
  type AttributeValue,
  type ConsentState,
  type DecisionContext,
  type Profile,
  type Snapshot,
} from '@candor/core';

interface SampleVisitor {
  name: string;
  profile: Record<string, AttributeValue> | null;
  granted: string[];
  visitorId?: string;
  gpcSinceDaysAgo?: number;
  context: Record<string, AttributeValue>;
  languages: string[];
}

const DAY = 86_400_000;
const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(readFileSync(resolve(here, 'visitors.json'), 'utf8')) as {
  snapshot: string;
  slots: string[];
  visitors: SampleVisitor[];
};
const snapshot = JSON.parse(readFileSync(resolve(here, config.snapshot), 'utf8')) as Snapshot;
const now = Date.now();

function profileOf(visitor: SampleVisitor): Profile | undefined {
  if (visitor.profile === null) return undefined;
  const values = Object.fromEntries(
    Object.entries(visitor.profile).map(([key, value]) => [
      key,
      { value, source: 'declared' as const, collectedAt: now - DAY, expiresAt: now + 90 * DAY },
    ]),
  );
  return { version: 1, values, ...(visitor.visitorId ? { visitorId: visitor.visitorId } : {}) };
}

function consentOf(visitor: SampleVisitor): ConsentState {
  const purposes = Object.fromEntries(visitor.granted.map((id) => [id, { status: 'granted' as const, at: now - DAY }]));
  const gpc = visitor.gpcSinceDaysAgo === undefined ? {} : { gpc: { since: now - visitor.gpcSinceDaysAgo * DAY } };
  return { purposes, signals: gpc, policyVersion: snapshot.site.policyVersion };
}

const out: string[] = [`Candor — decisions for ${snapshot.site.name} (snapshot v${snapshot.version})`, ''];
for (const visitor of config.visitors) {
  const profile = profileOf(visitor);
  const consent = consentOf(visitor);
  const context: DecisionContext = {
    now,
    attributes: visitor.context,
    languages: visitor.languages,
    slots: config.slots,
  };
  out.push(`■ ${visitor.name}`);
  for (const decision of decide(snapshot, profile, consent, context)) {
    if (!config.slots.includes(decision.slot)) continue;
    const explanation = explain(decision, { snapshot, profile, consent, context });
    const content = decision.variant?.content;
    const shown = content?.type === 'text' ? content.text[explanation.language] : '(default content)';
    out.push(`  [${decision.slot}] ${shown}    — ${decision.reason}`);
    out.push(`      ${explanation.text.mainReason}`);
    if (explanation.counterfactual.change !== 'none') out.push(`      ${explanation.text.counterfactual}`);
  }
  out.push('');
}
process.stdout.write(`${out.join('\n')}\n`);
