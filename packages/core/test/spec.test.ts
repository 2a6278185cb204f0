/**
 * The product contract in spec/*.json: rows other SDKs and languages must reproduce.
 * Each file's README section (spec/README.md) documents its row shape.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PURPOSES,
  decide,
  createExplainer,
  createVerifiedExplainer,
  decideVerified,
  explain,
  purposeStatus,
  type ConsentState,
  type DecisionContext,
  type Profile,
  type Language,
  type Purpose,
  type Snapshot,
  verifiedEngine,
} from '../src/index.js';
import { loadSpec } from './fixtures.js';

type Expected = Record<string, [string, string | null]>;
interface DecideSpec {
  snapshot: string;
  decide: [string, unknown, unknown, DecisionContext, Expected, Partial<Snapshot>?][];
}
interface ExplainSpec {
  snapshot: string;
  explain: [
    string,
    unknown,
    unknown,
    DecisionContext,
    string,
    Language | null,
    { kind: string; mainReason: string; counterfactual: string; signals: string[] },
  ][];
}
interface ConsentSpec {
  purposeStatus: [string, { class: Purpose['class'] }, ConsentState, [boolean, string]][];
}

const decideSpec = loadSpec<DecideSpec>('decide.json');
const explainSpec = loadSpec<ExplainSpec>('explain.json');
const consentSpec = loadSpec<ConsentSpec>('consent.json');

describe('spec/decide.json', () => {
  it.each(decideSpec.decide)('%s', (_name, profile, consent, context, expected, override) => {
    const snapshot = { ...loadSpec<Snapshot>(decideSpec.snapshot), ...override };
    const decisions = decide(snapshot, profile, consent, context);
    for (const [slot, [reason, variant]] of Object.entries(expected)) {
      const decision = decisions.find((candidate) => candidate.slot === slot);
      expect(decision?.reason, slot).toBe(reason);
      // '__any__': some variant, which one depends only on the hash (pinned by the conformance suite).
      if (variant === '__any__') expect(decision?.variant, slot).not.toBeNull();
      else expect(decision?.variant?.id ?? null, slot).toBe(variant);
    }
  });
});

// The browser SDK decides with `decideVerified` (no re-validation of a signed snapshot): on every
// row whose profile and consent are well formed it must decide exactly as `decide` does.
describe('spec/decide.json through decideVerified', () => {
  it.each(decideSpec.decide)('%s', (_name, profile, consent, context, _expected, override) => {
    const snapshot = { ...loadSpec<Snapshot>(decideSpec.snapshot), ...override };
    const checked = decide(snapshot, profile, consent, context);
    if (checked.some((decision) => decision.reason === 'ERROR')) return;
    const state = (consent ?? { purposes: {}, signals: {} }) as ConsentState;
    expect(decideVerified(snapshot, profile as Profile | undefined, state, context)).toEqual(checked);
  });
});

describe('spec/explain.json', () => {
  it.each(explainSpec.explain)('%s', (_name, profile, consent, context, slot, language, expected) => {
    const snapshot = loadSpec<Snapshot>(explainSpec.snapshot);
    const decision = decide(snapshot, profile, consent, context).find((candidate) => candidate.slot === slot);
    if (!decision) throw new Error(`no decision for slot ${slot}`);
    const explanation = explain(decision, { snapshot, profile, consent, context }, language ? { language } : {});
    expect({
      kind: explanation.kind,
      mainReason: explanation.text.mainReason,
      counterfactual: explanation.text.counterfactual,
      signals: explanation.signals.map((signal) => signal.key),
    }).toEqual(expected);
  });
});

// The SDK's UI explains on the head's engine (`createVerifiedExplainer`): same explanations.
describe('spec/explain.json through createVerifiedExplainer', () => {
  it.each(explainSpec.explain)('%s', (_name, profile, consent, context, slot, language) => {
    const snapshot = loadSpec<Snapshot>(explainSpec.snapshot);
    const decision = decide(snapshot, profile, consent, context).find((candidate) => candidate.slot === slot);
    if (!decision) throw new Error(`no decision for slot ${slot}`);
    const options = language ? { language } : {};
    const pending: ConsentState = { purposes: {}, signals: {} };
    const state = { profile: profile as Profile | undefined, consent: (consent ?? pending) as ConsentState, context };
    expect(createVerifiedExplainer({ snapshot, ...state }, options, verifiedEngine)(decision)).toEqual(
      createExplainer({ snapshot, profile, consent, context }, options)(decision),
    );
  });
});

describe('spec/consent.json', () => {
  it.each(consentSpec.purposeStatus)('%s', (_name, { class: cls }, consent, [granted, reason]) => {
    // Rows name the purpose "p"; its class is what the row is about.
    const purpose: Purpose = { ...(DEFAULT_PURPOSES[0] as Purpose), id: 'p', class: cls };
    expect(purposeStatus(purpose, consent)).toEqual({ granted, reason });
  });
});
