import { GrowthBook, type FeatureDefinition, type SavedGroupsPayload } from '@growthbook/growthbook';
import {
  DEFAULT_PURPOSES,
  decide,
  hasBlockingFindings,
  lint,
  type ConsentState,
  type Field,
  type Profile,
  type Snapshot,
} from '@candor/core';
import type { ExperienceDraft } from '@candor/schema';
import { describe, expect, it } from 'vitest';
import { ROLE_FIELD } from '../../testing/fixtures.js';
import { convertGrowthBook } from './convert-growthbook.js';
import { GrowthBookPayload } from './growthbook-payload.js';
import { VALUE_ATTRIBUTE } from './rule-to-experience.js';

const SEATS_FIELD = { ...ROLE_FIELD, key: 'seats', type: 'number', source: 'observed', options: [] } as Field;
const FIELDS: readonly Field[] = [ROLE_FIELD as Field, SEATS_FIELD];

// A payload exercising everything that must carry over: both hash versions, explicit and default
// seeds, uneven weights, partial coverage, a namespace, a percentage rollout, conditions on
// declared fields, saved groups and rule order (first matching rule wins).
const PAYLOAD = GrowthBookPayload.parse({
  savedGroups: { 'big-teams': [50, 100, 250] },
  features: {
    'hero-copy': {
      defaultValue: 'control copy',
      rules: [
        { condition: { role: 'developer', seats: { $gte: 100 } }, force: 'enterprise copy' },
        {
          key: 'hero-test',
          variations: ['control copy', 'short copy', 'long copy'],
          weights: [0.2, 0.3, 0.5],
          coverage: 0.8,
          hashVersion: 2,
          seed: 'hero-seed-7',
          meta: [{ key: 'control' }, { key: 'short' }, { key: 'long' }],
        },
      ],
    },
    'new-checkout': {
      defaultValue: false,
      rules: [{ force: true, coverage: 0.5 }],
    },
    'feature-grid': {
      defaultValue: { columns: 3 },
      rules: [
        {
          key: 'grid-ns-a',
          condition: { $or: [{ role: { $in: ['marketer'] } }, { seats: { $inGroup: 'big-teams' } }] },
          variations: [{ columns: 3 }, { columns: 2 }],
          namespace: ['grid', 0, 0.5],
        },
        {
          key: 'grid-ns-b',
          variations: [{ columns: 3 }, { columns: 4 }],
          weights: [0.5, 0.5],
          namespace: ['grid', 0.5, 1],
          hashVersion: 2,
        },
      ],
    },
  },
});

const SAVED_GROUPS = PAYLOAD.savedGroups ?? {};
// GrowthBook's own types for the same parsed payload (they are stricter about optional keys).
const GB_FEATURES = PAYLOAD.features as Record<string, FeatureDefinition>;
const GB_SAVED_GROUPS = SAVED_GROUPS as SavedGroupsPayload;
const VISITORS = 10_000;
const ROLES = ['developer', 'marketer', undefined] as const;
const SEATS = [5, 50, 100, 250, undefined] as const;

function visitor(i: number): { id: string; role?: string; seats?: number } {
  const role = ROLES[i % ROLES.length];
  const seats = SEATS[Math.floor(i / ROLES.length) % SEATS.length];
  return { id: `visitor-${i}-${(i * 2654435761) % 100003}`, ...(role ? { role } : {}), ...(seats ? { seats } : {}) };
}

function snapshotOf(experiences: readonly ExperienceDraft[], audiences: Snapshot['audiences']): Snapshot {
  return {
    schemaVersion: '1.0',
    version: 1,
    publishedAt: 0,
    site: { siteKey: 'import', name: 'Import', defaultLanguage: 'en', policyVersion: '1', explainDefaults: false },
    purposes: DEFAULT_PURPOSES,
    fields: FIELDS,
    audiences,
    experiences: experiences as Snapshot['experiences'],
    metrics: [],
    savedGroups: SAVED_GROUPS,
  };
}

// Everything granted: the visitors GrowthBook buckets are, in Candor, those who allow measurement.
const CONSENT: ConsentState = {
  purposes: Object.fromEntries(DEFAULT_PURPOSES.map((purpose) => [purpose.id, { status: 'granted', at: 0 }])),
  signals: {},
};

function profileOf({ id, ...values }: ReturnType<typeof visitor>): Profile {
  return {
    version: 1,
    visitorId: id,
    values: Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        { value, source: key === 'role' ? 'declared' : 'observed', collectedAt: 0, expiresAt: 8.64e15 },
      ]),
    ),
  };
}

describe('GrowthBook import: assignments carry over exactly', () => {
  const result = convertGrowthBook(PAYLOAD, { fields: FIELDS });
  const snapshot = snapshotOf(result.drafts.experiences, result.drafts.audiences);
  const features = Object.keys(PAYLOAD.features);

  it('imports every rule, skips nothing and passes the linter', () => {
    expect(result.skipped).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.drafts.experiences).toHaveLength(5);
    const findings = lint({ ...snapshot, experiences: snapshot.experiences });
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(hasBlockingFindings(findings)).toBe(false);
  });

  it(`gives each of ${VISITORS.toLocaleString('en')} ids the same value in Candor as in GrowthBook's own SDK`, () => {
    const mismatches: string[] = [];
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < VISITORS; i++) {
      const attributes = visitor(i);
      const growthBook = new GrowthBook({ features: GB_FEATURES, savedGroups: GB_SAVED_GROUPS, attributes });
      const decisions = decide(snapshot, profileOf(attributes), CONSENT, {
        now: 1_000,
        attributes: {},
        slots: features,
      });
      for (const feature of features) {
        const expected = growthBook.evalFeature(feature).value as unknown;
        const decision = decisions.find((candidate) => candidate.slot === feature);
        const content = decision?.variant?.content;
        const actual =
          content?.type === 'attributes'
            ? (JSON.parse(content.attributes[VALUE_ATTRIBUTE] as string) as unknown)
            : PAYLOAD.features[feature]?.defaultValue;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${attributes.id} ${feature}`);
        const values = seen.get(feature) ?? new Set();
        values.add(JSON.stringify(actual));
        seen.set(feature, values);
      }
      growthBook.destroy();
    }
    expect(mismatches).toEqual([]);
    // The comparison means something only if every value of every feature occurred.
    expect([...seen.entries()].map(([feature, values]) => [feature, values.size])).toEqual([
      ['hero-copy', 4],
      ['new-checkout', 2],
      ['feature-grid', 3],
    ]);
  });
});
