import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  explain,
  type AttributeValue,
  type ConsentState,
  type Decision,
  type DecisionContext,
  type Experience,
  type Explanation,
  type Field,
  type Profile,
  type ProfileValue,
  type Purpose,
  type Snapshot,
} from '../index.js';

// The explanation-truth invariant: every claim an explanation makes is derived from, and consistent
// with, the decision it explains. The oracle below is written from the snapshot, profile and consent
// this test generates, not from the engine's internals: which fields an audience reads, which
// purposes the visitor granted, and re-decisions through the public `decide`.

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 86_400_000;

const text = (en: string, zh: string) => ({ en, 'zh-Hant': zh });

const PURPOSES: readonly Purpose[] = [
  purpose('essential', 'essential'),
  purpose('contextual', 'contextual'),
  purpose('personalization', 'behavioural'),
  purpose('measurement', 'measurement'),
  purpose('partners', 'cross_site'),
];

function purpose(id: string, kind: Purpose['class']): Purpose {
  return {
    id,
    class: kind,
    name: text(`Purpose ${id}`, `目的 ${id}`),
    description: text(`About ${id}`, `關於 ${id}`),
    legalBasis: 'consent',
  };
}

// Labels are distinct tokens, so a label in a sentence means that field was named.
function field(key: string, source: Field['source'], purposeId: string, extra: Partial<Field> = {}): Field {
  return {
    key,
    type: 'string',
    source,
    purpose: purposeId,
    category: 'none',
    origin: 'first_party',
    retentionDays: 30,
    label: text(`Lbl${key}`, `標籤${key}`),
    whyWeAsk: text('why', '為何'),
    whatYouGet: text('what', '什麼'),
    ...extra,
  };
}

const FIELDS: readonly Field[] = [
  field('role', 'declared', 'personalization', {
    options: [
      { value: 'developer', label: text('Developer', '開發人員') },
      { value: 'manager', label: text('Manager', '經理') },
      { value: 'designer', label: text('Designer', '設計師') },
    ],
  }),
  field('teamSize', 'declared', 'personalization', { type: 'number' }),
  field('viewed', 'observed', 'personalization', { type: 'string[]' }),
  field('buyer', 'inferred', 'personalization', { type: 'boolean' }),
  field('partnerSeg', 'observed', 'partners', { origin: 'third_party' }),
  field('health', 'declared', 'personalization', { category: 'S.health' }),
  field('campaign', 'context', 'contextual'),
  field('device', 'context', 'contextual'),
];
const FIELD = new Map(FIELDS.map((item) => [item.key, item]));

/** Each audience with the fields its condition reads (written by hand: the oracle's own knowledge). */
const AUDIENCES = {
  dev: { condition: { role: 'developer' }, reads: ['role'] },
  leaders: {
    condition: { $or: [{ role: { $in: ['manager'] } }, { teamSize: { $gte: 50 } }] },
    reads: ['role', 'teamSize'],
  },
  docs: { condition: { viewed: { $elemMatch: { $eq: 'docs' } } }, reads: ['viewed'] },
  buyers: { condition: { buyer: true }, reads: ['buyer'] },
  partner: { condition: { partnerSeg: 'enterprise' }, reads: ['partnerSeg'] },
  unwell: { condition: { health: { $exists: true } }, reads: ['health'] },
  spring: { condition: { campaign: 'spring' }, reads: ['campaign'] },
  mobile: { condition: { device: 'mobile' }, reads: ['device'] },
} as const;
type AudienceId = keyof typeof AUDIENCES;
const AUDIENCE_IDS = Object.keys(AUDIENCES) as AudienceId[];
const SLOTS = ['hero', 'cta'] as const;

const audienceId = fc.constantFrom(...AUDIENCE_IDS);

const experienceArb = fc.record({
  slot: fc.constantFrom(...SLOTS),
  kind: fc.constantFrom('personalization' as const, 'experiment' as const),
  audiences: fc.uniqueArray(audienceId, { maxLength: 2 }),
  variants: fc.integer({ min: 1, max: 3 }),
  holdout: fc.constantFrom(0, 0, 0.1, 0.5),
  coverage: fc.constantFrom(1, 1, 0.6),
  bandit: fc.boolean(),
  segment: fc.option(fc.record({ audience: audienceId, favour: fc.nat(2) }), { nil: undefined }),
  cap: fc.option(fc.record({ maxImpressions: fc.integer({ min: 1, max: 2 }), perDays: fc.constantFrom(1, 7) }), {
    nil: undefined,
  }),
  schedule: fc.constantFrom('always', 'always', 'running', 'not_yet', 'ended'),
});
type ExperienceSpec = typeof experienceArb extends fc.Arbitrary<infer T> ? T : never;

function buildExperience(spec: ExperienceSpec, index: number): Experience {
  const id = `x${index}`;
  const schedules = {
    always: undefined,
    running: { start: NOW - DAY, end: NOW + DAY },
    not_yet: { start: NOW + DAY },
    ended: { end: NOW - DAY },
  } as const;
  const schedule = schedules[spec.schedule as keyof typeof schedules];
  const variants = Array.from({ length: spec.variants }, (_, i) => ({
    id: `${id}v${i}`,
    name: `Variant ${i}`,
    content: { [spec.slot]: { type: 'text' as const, text: text(`${id} text ${i}`, `${id} 文字 ${i}`) } },
    ...(spec.cap ? { interruptive: true } : {}),
  }));
  const bandit = spec.bandit && spec.variants > 1;
  return {
    id,
    name: `Experience ${index}`,
    kind: spec.kind,
    audiences: spec.audiences,
    variants,
    holdout: spec.holdout,
    coverage: spec.coverage,
    allocation: bandit ? 'bandit' : 'fixed',
    ...(bandit && spec.segment
      ? {
          segments: [
            {
              audience: spec.segment.audience,
              weights: Object.fromEntries(
                variants.map((variant, i) => [variant.id, i === spec.segment?.favour ? 5 : 1]),
              ),
            },
          ],
        }
      : {}),
    hashVersion: 2,
    seed: id,
    ...(spec.cap ? { frequencyCap: spec.cap } : {}),
    ...(schedule ? { schedule } : {}),
    goals: [],
  };
}

function buildSnapshot(specs: readonly ExperienceSpec[]): Snapshot {
  return {
    schemaVersion: '1.0',
    version: 7,
    publishedAt: NOW - 10 * DAY,
    site: {
      siteKey: 'site_truth',
      name: 'Truthful',
      defaultLanguage: 'en',
      policyVersion: 'p1',
      explainDefaults: true,
    },
    purposes: PURPOSES,
    fields: FIELDS,
    audiences: AUDIENCE_IDS.map((id) => ({ id, name: id, condition: AUDIENCES[id].condition })),
    experiences: specs.map(buildExperience),
    metrics: [],
  };
}

const stored = (value: AttributeValue, source: ProfileValue['source']): ProfileValue => ({
  value,
  source,
  collectedAt: NOW - DAY,
  expiresAt: NOW + 20 * DAY,
});

const profileArb = fc.record(
  {
    visitorId: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
    role: fc.option(fc.constantFrom('developer', 'manager', 'designer'), { nil: undefined }),
    teamSize: fc.option(fc.constantFrom(5, 80), { nil: undefined }),
    viewed: fc.option(fc.subarray(['docs', 'blog', 'pricing']), { nil: undefined }),
    buyer: fc.option(fc.boolean(), { nil: undefined }),
    partnerSeg: fc.option(fc.constantFrom('enterprise', 'smb'), { nil: undefined }),
    health: fc.option(fc.constant('asthma'), { nil: undefined }),
    impressions: fc.nat(3),
  },
  { requiredKeys: ['impressions'] },
);
type ProfileSpec = typeof profileArb extends fc.Arbitrary<infer T> ? T : never;

function buildProfile(spec: ProfileSpec, experiences: number): Profile {
  const values: Record<string, ProfileValue> = {};
  for (const key of ['role', 'teamSize', 'viewed', 'buyer', 'partnerSeg', 'health'] as const) {
    const value = spec[key];
    if (value !== undefined) values[key] = stored(value, FIELD.get(key)!.source);
  }
  const impressions = Object.fromEntries(
    Array.from({ length: experiences }, (_, i) => [
      `x${i}`,
      Array.from({ length: spec.impressions }, () => NOW - DAY / 2),
    ]),
  );
  return { version: 1, values, impressions, ...(spec.visitorId === undefined ? {} : { visitorId: spec.visitorId }) };
}

const choiceArb = fc.constantFrom('granted', 'denied', 'pending', 'granted_after_signal');
const consentArb = fc.record({
  contextual: choiceArb,
  personalization: choiceArb,
  measurement: choiceArb,
  partners: choiceArb,
  gpc: fc.boolean(),
  dnt: fc.boolean(),
  objects: fc.boolean(),
});
type ConsentSpec = typeof consentArb extends fc.Arbitrary<infer T> ? T : never;

const SIGNAL_AT = NOW - 2 * DAY;

function buildConsent(spec: ConsentSpec): ConsentState {
  const purposes: Record<string, ConsentState['purposes'][string]> = {};
  for (const id of ['contextual', 'personalization', 'measurement', 'partners'] as const) {
    const choice = spec[id];
    if (choice === 'pending') continue;
    const at = choice === 'granted_after_signal' ? NOW - DAY : NOW - 3 * DAY;
    purposes[id] = { status: choice === 'denied' ? 'denied' : 'granted', at };
  }
  return {
    purposes,
    signals: {
      ...(spec.gpc ? { gpc: { since: SIGNAL_AT } } : {}),
      ...(spec.dnt ? { dnt: { since: SIGNAL_AT } } : {}),
    },
    ...(spec.objects ? { objectsToPersonalization: true } : {}),
    recordId: 'c_truth',
  };
}

/** docs/privacy.md §1–2, restated: may this field's data be used at all for this visitor? */
function usable(key: string, consent: ConsentSpec): boolean {
  const item = FIELD.get(key)!;
  if (item.category.startsWith('S.')) return false;
  const signalled = consent.gpc || consent.dnt;
  if (signalled && item.origin === 'third_party') return false;
  switch (item.purpose) {
    case 'contextual':
      return consent.contextual !== 'denied';
    case 'personalization':
      if (consent.objects) return false;
      return (
        consent.personalization === 'granted_after_signal' || (consent.personalization === 'granted' && !signalled)
      );
    case 'partners':
      return (consent.partners === 'granted' || consent.partners === 'granted_after_signal') && !signalled;
    default:
      return false;
  }
}

const contextArb = fc.record({
  campaign: fc.option(fc.constantFrom('spring', 'autumn'), { nil: undefined }),
  device: fc.option(fc.constantFrom('mobile', 'desktop'), { nil: undefined }),
});

function buildContext(spec: { campaign?: string | undefined; device?: string | undefined }): DecisionContext {
  const attributes: Record<string, AttributeValue> = {};
  if (spec.campaign !== undefined) attributes['campaign'] = spec.campaign;
  if (spec.device !== undefined) attributes['device'] = spec.device;
  return { now: NOW, attributes, languages: ['en'], slots: [...SLOTS] };
}

/** The same visitor without some fields: removed from the device profile and from this visit. */
function redecide(
  snapshot: Snapshot,
  profile: Profile,
  consent: ConsentState,
  context: DecisionContext,
  slot: string,
  without: readonly string[],
): Decision {
  const keep = ([key]: [string, unknown]) => !without.includes(key);
  const values = Object.fromEntries(Object.entries(profile.values).filter(keep));
  const attributes = Object.fromEntries(Object.entries(context.attributes).filter(keep));
  const decision = decide(snapshot, { ...profile, values }, consent, { ...context, attributes }).find(
    (candidate) => candidate.slot === slot,
  );
  return decision!;
}

const INDEPENDENT = [/doesn't depend on who you are/i, /nothing about you was used/i];
const RANDOM = /random/i;
// A claim of similarity ("visitors like you") is a claim that data about the visitor was used.
const LIKE_YOU = { en: /like you/i, 'zh-Hant': /與您相似/ } as const;

function allText(explanation: Explanation): string {
  const { text: t } = explanation;
  return [t.mainReason, t.mattered, t.decidedBy, ...t.signals, t.counterfactual, ...t.excluded].join('\n');
}

describe('explanation truth (property)', () => {
  it('every claim of every explanation follows from the decision it explains', () => {
    fc.assert(
      fc.property(
        fc.array(experienceArb, { minLength: 1, maxLength: 4 }),
        profileArb,
        consentArb,
        contextArb,
        (experienceSpecs, profileSpec, consentSpec, contextSpec) => {
          const snapshot = buildSnapshot(experienceSpecs);
          const profile = buildProfile(profileSpec, experienceSpecs.length);
          const consent = buildConsent(consentSpec);
          const context = buildContext(contextSpec);
          const inputs = { snapshot, profile, consent, context };
          const present = (key: string) => key in profile.values || Object.hasOwn(context.attributes, key);
          const visible = (key: string) => present(key) && usable(key, consentSpec);

          for (const decision of decide(snapshot, profile, consent, context)) {
            const en = explain(decision, inputs, { language: 'en' });
            const zh = explain(decision, inputs, { language: 'zh-Hant' });
            const experience = snapshot.experiences.find((candidate) => candidate.id === decision.experienceId);
            const named = en.signals.map((signal) => signal.key);

            // 1. The data named are exactly the data the matching condition read, and all of it usable.
            expect([...named].sort()).toEqual(decision.signals.map((signal) => signal.key).sort());
            const value = (key: string): unknown =>
              visible(key) ? (profile.values[key]?.value ?? context.attributes[key]) : undefined;
            const matchedReads = (id: AudienceId): string[] =>
              id === 'leaders'
                ? [
                    ...(value('role') === 'manager' ? ['role'] : []),
                    ...((value('teamSize') as number | undefined) !== undefined && (value('teamSize') as number) >= 50
                      ? ['teamSize']
                      : []),
                  ]
                : AUDIENCES[id].reads.filter(visible);
            if (experience !== undefined) {
              const deciding = [...experience.audiences, ...(decision.segment ? [decision.segment] : [])];
              const expected = new Set(deciding.flatMap((id) => matchedReads(id as AudienceId)));
              expect([...named].sort(), 'named = what the matching condition parts read').toEqual([...expected].sort());
            }
            const readByDecider = new Set<string>(
              [...(experience?.audiences ?? []), ...(decision.segment ? [decision.segment] : [])].flatMap(
                (id) => AUDIENCES[id as AudienceId].reads,
              ),
            );
            for (const key of named) {
              expect(readByDecider.has(key), `${key} is read by the deciding audiences`).toBe(true);
              expect(
                usable(key as Parameters<typeof usable>[0], consentSpec),
                `${key} may be used under this consent`,
              ).toBe(true);
            }
            // No sentence names a field the explanation does not list (least of all an ungranted one).
            for (const explanation of [en, zh]) {
              const sentences = allText(explanation);
              for (const item of FIELDS) {
                const mentioned = sentences.includes(item.label[explanation.language]);
                if (!named.includes(item.key)) expect(mentioned, `${item.key} is not named`).toBe(false);
              }
              for (const key of named)
                expect(explanation.text.signals.join('\n')).toContain(FIELD.get(key)!.label[explanation.language]);
            }

            // 2. A data counterfactual exactly when removing the data changes what the visitor sees.
            const attempts = named.length > 1 ? [...named.map((key) => [key]), named] : named.length ? [named] : [];
            const flips = attempts.some(
              (without) =>
                redecide(snapshot, profile, consent, context, decision.slot, without).variant?.id !==
                decision.variant?.id,
            );
            const fields = en.counterfactual.fields ?? [];
            expect(fields.length > 0, `counterfactual present iff removing data flips (${decision.reason})`).toBe(
              flips,
            );
            if (fields.length > 0) {
              const other = redecide(snapshot, profile, consent, context, decision.slot, fields);
              expect(other.variant?.id).not.toBe(decision.variant?.id);
              expect(en.counterfactual.alternative).toBe(other.variant ? 'other' : 'standard');
            }

            // 3. "Doesn't depend on who you are" only when no personal data touched the decision.
            const touched =
              named.length > 0 ||
              decision.trace.some((entry) => {
                if (entry.step === 'schedule') return false;
                const candidate = snapshot.experiences.find((item) => item.id === entry.experienceId)!;
                const reads = candidate.audiences.flatMap((id) => AUDIENCES[id as AudienceId].reads);
                const capRead = candidate.frequencyCap !== undefined && profile.visitorId !== undefined;
                return reads.some(visible) || (capRead && entry.step !== 'audience');
              });
            if (INDEPENDENT.some((pattern) => pattern.test(en.text.mainReason))) {
              expect(touched, `claims independence: ${en.text.mainReason}`).toBe(false);
            }

            // 4. "Random" only when randomisation chose among two or more arms (variants or a holdout).
            const arms = experience ? experience.variants.length + (experience.holdout > 0 ? 1 : 0) : 0;
            const randomized = (decision.reason === 'SPLIT' || decision.reason === 'HOLDOUT') && arms >= 2;
            expect(RANDOM.test(en.text.mainReason), `random claim: ${en.text.mainReason}`).toBe(randomized);
            // A holdout is always disclosed to the visitors it is measured on.
            if (decision.enrolled && experience !== undefined && experience.holdout > 0) {
              expect(en.text.mainReason).toContain('standard version');
            }

            // 5. "Visitors like you" only when the decision named data about the visitor.
            for (const explanation of [en, zh]) {
              if (LIKE_YOU[explanation.language].test(explanation.text.mainReason)) {
                expect(named.length, `claims similarity: ${explanation.text.mainReason}`).toBeGreaterThan(0);
              }
            }

            // 6. Every language states the same facts.
            expect(zh.signals.map((signal) => signal.key)).toEqual(named);
            expect({ ...zh.counterfactual, text: '' }).toEqual({ ...en.counterfactual, text: '' });
            expect(zh.text.mainReason).not.toBe('');
          }
        },
      ),
      { numRuns: 300 },
    );
    // Hundreds of decide-and-explain rounds: on a shared, busy machine this outlasts the default.
  }, 60_000);
});
