/**
 * A realistic decision workload: 50 experiences over 10 fields with the kinds of conditions
 * marketers write ($in lists, numeric ranges, $elemMatch on pages viewed, $or, regex on paths,
 * version checks), and 100k distinct visitors drawn from a seeded generator.
 */
import type { Condition, Experience, Field, Snapshot } from '@candor/core';
import { DEFAULT_PURPOSES } from '@candor/core';

const text = (value: string) => ({ en: value, 'zh-Hant': value });

/** Seeded PRNG so every run draws the same visitors. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES = ['developer', 'manager', 'designer', 'founder', 'analyst', 'student'];
const INDUSTRIES = ['saas', 'retail', 'finance', 'education', 'media', 'travel', 'manufacturing'];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const COUNTRIES = ['TW', 'US', 'GB', 'DE', 'JP', 'FR', 'CA', 'AU'];
const PAGES = ['docs', 'pricing', 'blog', 'careers', 'api', 'changelog', 'security', 'customers'];
const CAMPAIGNS = ['spring-sale', 'webinar', 'newsletter', 'partner', 'retargeting-q3'];

const field = (key: string, type: Field['type'], source: Field['source'], purpose: string): Field => ({
  key,
  type,
  source,
  purpose,
  category: 'none',
  origin: 'first_party',
  retentionDays: 365,
  label: text(key),
  whyWeAsk: text(`why ${key}`),
  whatYouGet: text(`what ${key}`),
  ...(source === 'declared' ? { question: text(`${key}?`) } : {}),
});

const FIELDS: Field[] = [
  field('role', 'string', 'declared', 'personalization'),
  field('industry', 'string', 'declared', 'personalization'),
  field('teamSize', 'number', 'declared', 'personalization'),
  field('plan', 'string', 'observed', 'personalization'),
  field('visits', 'number', 'observed', 'personalization'),
  field('viewedPages', 'string[]', 'observed', 'personalization'),
  field('appVersion', 'string', 'observed', 'personalization'),
  field('country', 'string', 'context', 'contextual'),
  field('utmCampaign', 'string', 'context', 'contextual'),
  field('path', 'string', 'context', 'contextual'),
];

/** Ten condition shapes, varied by index so no two experiences are identical. */
function conditionFor(i: number): Condition {
  const pick = <T>(list: readonly T[], k: number): T => list[(i + k) % list.length] as T;
  switch (i % 10) {
    case 0:
      return { role: pick(ROLES, 0) };
    case 1:
      return { role: { $in: [pick(ROLES, 0), pick(ROLES, 1)] }, teamSize: { $gte: 10 + i } };
    case 2:
      return { viewedPages: { $elemMatch: { $eq: pick(PAGES, 0) } } };
    case 3:
      return { $or: [{ industry: pick(INDUSTRIES, 0) }, { plan: { $in: ['pro', 'enterprise'] } }] };
    case 4:
      return { path: { $regex: `^/${pick(PAGES, 0)}` }, country: { $nin: ['DE', 'FR'] } };
    case 5:
      return { utmCampaign: pick(CAMPAIGNS, 0) };
    case 6:
      return { visits: { $gt: 3, $lt: 50 }, plan: { $ne: 'free' } };
    case 7:
      return { appVersion: { $vgte: '2.3.0' }, role: { $exists: true } };
    case 8:
      return {
        $and: [
          { country: { $in: ['TW', 'JP'] } },
          { $or: [{ role: 'developer' }, { viewedPages: { $all: ['docs', 'api'] } }] },
        ],
      };
    default:
      return { industry: { $nin: ['finance', 'education'] }, teamSize: { $lte: 200 }, $not: { plan: 'free' } };
  }
}

function experienceFor(i: number): Experience {
  const experiment = i % 4 === 3;
  return {
    id: `exp-${i}`,
    name: `Experience ${i}`,
    kind: experiment ? 'experiment' : 'personalization',
    audiences: [`aud-${i}`],
    variants: (experiment ? ['control', 'treatment'] : ['personalized']).map((id) => ({
      id,
      name: id,
      content: { [`slot-${i}`]: { type: 'text', text: text(`${id} ${i}`) } },
    })),
    holdout: experiment ? 0 : 0.1,
    coverage: 1,
    allocation: 'fixed',
    hashVersion: 2,
    seed: `exp-${i}`,
    goals: ['signup'],
  };
}

/** The 50-experience snapshot. */
export function buildSnapshot(): Snapshot {
  return {
    schemaVersion: '1.0',
    version: 1,
    publishedAt: 0,
    site: { siteKey: 'bench', name: 'Bench', defaultLanguage: 'en', policyVersion: '1', explainDefaults: true },
    purposes: DEFAULT_PURPOSES,
    fields: FIELDS,
    audiences: Array.from({ length: 50 }, (_, i) => ({
      id: `aud-${i}`,
      name: `Audience ${i}`,
      condition: conditionFor(i),
    })),
    experiences: Array.from({ length: 50 }, (_, i) => experienceFor(i)),
    metrics: [{ id: 'signup', name: 'Sign-up', kind: 'proportion' }],
  };
}

/** One generated visitor: stored attributes, context attributes and an id. */
export interface Visitor {
  readonly id: string;
  readonly stored: Record<string, string | number | string[]>;
  readonly context: Record<string, string>;
}

/** `count` distinct visitors from a fixed seed. */
export function buildVisitors(count: number, seed = 20261129): Visitor[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => ({
    id: `visitor-${i}-${Math.floor(random() * 1e9).toString(36)}`,
    stored: {
      role: pick(ROLES),
      industry: pick(INDUSTRIES),
      teamSize: Math.floor(random() * 500),
      plan: pick(PLANS),
      visits: Math.floor(random() * 80),
      viewedPages: PAGES.filter(() => random() < 0.3),
      appVersion: `${1 + Math.floor(random() * 3)}.${Math.floor(random() * 10)}.${Math.floor(random() * 5)}`,
    },
    context: { country: pick(COUNTRIES), utmCampaign: pick(CAMPAIGNS), path: `/${pick(PAGES)}/${i % 7}` },
  }));
}

/** The same experiences as GrowthBook features (`slot-<i>`): same conditions, arms, weights, seeds. */
export function growthbookFeatures(snapshot: Snapshot): Record<string, object> {
  return Object.fromEntries(
    snapshot.experiences.map((experience, i) => {
      const condition = snapshot.audiences[i]?.condition ?? {};
      const arms =
        experience.holdout > 0
          ? ['holdout', ...experience.variants.map((v) => v.id)]
          : experience.variants.map((v) => v.id);
      const weights =
        experience.holdout > 0 ? [experience.holdout, 1 - experience.holdout] : arms.map(() => 1 / arms.length);
      return [
        `slot-${i}`,
        {
          defaultValue: 'default',
          rules: [
            {
              key: experience.id,
              condition,
              variations: arms,
              weights,
              coverage: 1,
              hashAttribute: 'id',
              seed: experience.seed,
              hashVersion: 2,
            },
          ],
        },
      ];
    }),
  );
}
