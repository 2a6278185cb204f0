import { redirectLocation } from '@candor/core';
import { ExperienceDraft } from '@candor/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PURPOSES } from '@candor/core';
import type { WholeDraft } from '@candor/schema';
import { issueMap } from '../drafts/entity-workspace.js';
import { liveFindings } from '../drafts/live-lint.js';
import { emptySlot, experienceToForm, formToExperience, pageSlotOf, redirectTargetProblem } from './experience-form.js';

const FULL = ExperienceDraft.parse({
  id: 'hero-dev',
  name: 'Hero for developers',
  kind: 'personalization',
  audiences: ['developers'],
  variants: [
    {
      id: 'dev',
      name: 'Developer hero',
      weight: 2,
      interruptive: true,
      content: {
        hero: { type: 'text', text: { en: 'Build faster', 'zh-Hant': '更快開發' } },
        cta: { type: 'attributes', attributes: { href: '/docs' } },
        banner: { type: 'html', html: { en: '<b>Hi</b>', 'zh-Hant': '<b>嗨</b>' } },
        body: { type: 'class', className: 'dev' },
      },
    },
  ],
  holdout: 0.1,
  coverage: 0.5,
  allocation: 'bandit',
  hashVersion: 2,
  seed: 'seed-1',
  namespace: ['ns', 0, 0.5],
  frequencyCap: { maxImpressions: 2, perDays: 1 },
  goals: ['signup'],
  guardrails: ['revenue'],
  breakdowns: ['role'],
  schedule: { start: Date.UTC(2026, 0, 1, 9, 30), end: Date.UTC(2026, 1, 1) },
  analysis: {
    engine: 'sequential',
    tuningN: 8000,
    correction: 'bh',
    alpha: 0.1,
    minimumUnits: 200,
    differentialPrivacy: { epsilon: 2, plannedReleases: 10, releaseEveryHours: 12, k: 60 },
    bandit: { minimumShare: 0.1, burnInUnits: 50, cadenceHours: 6 },
  },
});

describe('experience form ↔ draft', () => {
  it('round-trips every part, including what the form does not edit', () => {
    const { experience, errors } = formToExperience(experienceToForm(FULL), FULL);
    expect(errors).toEqual({});
    expect(experience).toEqual(FULL);
  });

  it('keeps properties it does not know, and drops optional parts the admin cleared', () => {
    const future = { ...FULL, somethingNew: { keep: true } } as typeof FULL;
    const form = experienceToForm(future);
    form.capOn = false;
    form.guardrails = [];
    form.start = '';
    form.end = '';
    form.analysisOn = false;
    const { experience } = formToExperience(form, future);
    expect(experience).toMatchObject({ somethingNew: { keep: true }, namespace: ['ns', 0, 0.5], breakdowns: ['role'] });
    for (const cleared of ['frequencyCap', 'guardrails', 'schedule', 'analysis'])
      expect(experience).not.toHaveProperty(cleared);
  });

  it('edits per-audience segments, keeping what the bandit learned for those it keeps', () => {
    const { differentialPrivacy: _dp, ...analysis } = FULL.analysis!;
    const bandit = ExperienceDraft.parse({
      ...FULL,
      analysis,
      segments: [{ audience: 'developers', weights: { dev: 1 } }, { audience: 'leaders' }],
    });
    expect(formToExperience(experienceToForm(bandit), bandit).experience).toEqual(bandit);
    const form = experienceToForm(bandit);
    expect(form.segments).toEqual(['developers', 'leaders']);
    form.segments = ['leaders', 'developers', 'newcomers'];
    expect(formToExperience(form, bandit).experience.segments).toEqual([
      { audience: 'leaders' },
      { audience: 'developers', weights: { dev: 1 } },
      { audience: 'newcomers' },
    ]);
    // A fixed split has no segments: switching away from the bandit drops them.
    form.allocation = 'fixed';
    expect(formToExperience(form, bandit).experience).not.toHaveProperty('segments');
  });

  it('starts a new experience valid once named, seeded by its id', () => {
    const form = experienceToForm(undefined);
    form.id = 'new-one';
    form.name = 'New';
    const { experience } = formToExperience(form, undefined);
    expect(experience.seed).toBe('new-one');
    expect(experience.holdout).toBeCloseTo(0.1);
    expect(ExperienceDraft.safeParse(experience).success).toBe(true);
  });

  it('reports attributes that are not a JSON object beside their input', () => {
    const form = experienceToForm(FULL);
    const slot = form.variants[0]?.slots.find((s) => s.type === 'attributes');
    if (slot) slot.attributes = '{nope';
    expect(Object.keys(formToExperience(form, FULL).errors)).toEqual(['variants.0.slots.1.attributes']);
  });
});

/** The schema the server validates one page pattern with. */
const UrlMatch = ExperienceDraft.shape.pages.unwrap().element;

const PATTERN = fc.oneof(
  fc.record({ type: fc.constant('path' as const), pattern: fc.stringMatching(/^\/[a-z0-9/*-]{0,30}$/) }),
  fc.record({
    type: fc.constant('regex' as const),
    pattern: fc.stringMatching(/^\^\/[a-z]{1,10}(\\?\?[a-z=]{0,8})?$/),
  }),
);
const SAME_SITE_PATH = fc.stringMatching(/^\/[a-z0-9-]{1,20}(\?[a-z]{1,5}=[a-z0-9]{1,5})?$/);
const ORIGINS = ['https://shop.example', 'http://localhost:8080'];

/** A split-URL experiment on `id`: a control arm without content and arms that redirect. */
const splitUrlExperiment = fc
  .record({
    id: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    pages: fc.option(fc.array(PATTERN, { minLength: 1, maxLength: 20 }), { nil: undefined }),
    arms: fc.array(
      fc.record({
        to: fc.oneof(
          SAME_SITE_PATH,
          fc.constantFrom(...ORIGINS).chain((o) => SAME_SITE_PATH.map((p) => o + p)),
        ),
        carryQuery: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ id, pages, arms }) =>
    ExperienceDraft.parse({
      ...FULL,
      id,
      seed: id,
      kind: 'experiment',
      allocation: 'fixed',
      analysis: undefined,
      ...(pages === undefined ? {} : { pages }),
      variants: [
        { id: 'control', name: 'Control', content: {} },
        ...arms.map((arm, n) => ({
          id: `arm-${n}`,
          name: `Arm ${n}`,
          content: { [`page:${id}`]: { type: 'redirect', ...arm } },
        })),
      ],
    }),
  );

describe('split-URL tests and pages in the form', () => {
  it('round-trips every split-URL experiment with pages, keeping the control arm without a redirect', () => {
    fc.assert(
      fc.property(splitUrlExperiment, (experiment) => {
        const { experience, errors } = formToExperience(experienceToForm(experiment), experiment, ORIGINS);
        expect(errors).toEqual({});
        expect(experience).toEqual(experiment);
      }),
    );
  });

  it('writes a redirect into the page slot of the experience id, whatever the row said', () => {
    const form = experienceToForm(undefined);
    form.id = 'pricing-test';
    form.name = 'Pricing test';
    form.variants = [
      { id: 'control', name: 'Control', weight: '1', interruptive: false, slots: [] },
      {
        id: 'b',
        name: 'B',
        weight: '1',
        interruptive: false,
        slots: [{ ...emptySlot(), slot: 'hero', type: 'redirect', to: ' /pricing-b ', carryQuery: true }],
      },
    ];
    form.pages = [
      { type: 'path', pattern: ' /pricing ' },
      { type: 'path', pattern: '' },
    ];
    const { experience, errors } = formToExperience(form, undefined);
    expect(errors).toEqual({});
    expect(experience.variants[0]?.content).toEqual({});
    expect(experience.variants[1]?.content).toEqual({
      [pageSlotOf('pricing-test')]: { type: 'redirect', to: '/pricing-b', carryQuery: true },
    });
    expect(experience.pages).toEqual([{ type: 'path', pattern: '/pricing' }]);
    expect(ExperienceDraft.safeParse(experience).success).toBe(true);
    form.pages = [];
    expect(formToExperience(form, undefined).experience).not.toHaveProperty('pages');
  });

  it('refuses a page pattern exactly when the server schema does, at the input the server names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('path' as const, 'regex' as const),
        fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[/^a-z*()[\]?\\.+]{1,12}$/)),
        (type, pattern) => {
          const form = experienceToForm(FULL);
          form.pages = [{ type, pattern }];
          const { experience } = formToExperience(form, FULL);
          const server = UrlMatch.safeParse({ type, pattern: pattern.trim() });
          const refused = issueMap(ExperienceDraft.safeParse(experience).error?.issues ?? []);
          if (pattern.trim() === '') expect(experience).not.toHaveProperty('pages');
          else expect('pages.0.pattern' in refused).toBe(!server.success);
        },
      ),
    );
  });

  it('accepts only redirect targets the SDK and redirectFor would follow, on the site', () => {
    const decision = (to: string) =>
      ({ experienceId: 'exp', variant: { id: 'b', content: { type: 'redirect', to, carryQuery: true } } }) as never;
    fc.assert(
      fc.property(
        fc.oneof(
          SAME_SITE_PATH,
          fc.string({ maxLength: 30 }),
          fc.constantFrom('//evil.example/x', 'javascript:alert(1)', 'data:text/html,x', 'https://evil.example/x'),
          fc.constantFrom(...ORIGINS).map((o) => `${o}/landing`),
        ),
        (to) => {
          const problem = redirectTargetProblem(to, ORIGINS);
          if (problem !== undefined) return;
          // Accepted: core follows it from a page that is not the target itself.
          expect(redirectLocation(decision(to.trim()), 'https://shop.example/somewhere-else?x=1')).not.toBeNull();
          const origin = /^https?:\/\/[^/?#]+/i.exec(to.trim())?.[0];
          if (origin !== undefined) expect(ORIGINS).toContain(origin.toLowerCase());
        },
      ),
    );
    for (const refused of ['', '//evil.example/x', 'javascript:alert(1)', 'https://evil.example/x', 'pricing-b'])
      expect(redirectTargetProblem(refused, ORIGINS)).toBeDefined();
  });

  it('reports a redirect target off the site beside its input', () => {
    const form = experienceToForm(undefined);
    form.id = 'x';
    form.name = 'X';
    form.variants = [
      {
        id: 'b',
        name: 'B',
        weight: '',
        interruptive: false,
        slots: [{ ...emptySlot(), type: 'redirect', to: 'https://evil.example/' }],
      },
    ];
    expect(Object.keys(formToExperience(form, undefined, ORIGINS).errors)).toEqual(['variants.0.slots.0.to']);
  });

  it('shows a regex the linter refuses at publish in the live findings, at the page row', () => {
    const draft = {
      purposes: DEFAULT_PURPOSES,
      fields: [],
      audiences: [],
      experiences: [],
      metrics: [],
    } as unknown as WholeDraft;
    const form = experienceToForm(undefined);
    form.id = 'split';
    form.name = 'Split';
    form.pages = [{ type: 'regex', pattern: '^/(a+)+$' }];
    const findings = liveFindings(draft, 'experiences', formToExperience(form, undefined).experience);
    expect(findings.filter((f) => f.code === 'condition_unsafe_regex').map((f) => f.location)).toEqual([
      { entity: 'experience', id: 'split', path: 'pages.0' },
    ]);
    form.pages = [{ type: 'regex', pattern: '^/pricing' }];
    const safe = liveFindings(draft, 'experiences', formToExperience(form, undefined).experience);
    expect(safe.some((f) => f.code === 'condition_unsafe_regex')).toBe(false);
  });

  it('refuses a second redirect in one variant instead of silently keeping the last', () => {
    const form = experienceToForm(undefined);
    form.id = 'x';
    form.name = 'X';
    const redirect = (to: string) => ({ ...emptySlot(), type: 'redirect' as const, to });
    form.variants = [{ id: 'b', name: 'B', weight: '', interruptive: false, slots: [redirect('/b'), redirect('/c')] }];
    const { experience, errors } = formToExperience(form, undefined);
    expect(Object.keys(errors)).toEqual(['variants.0.slots.1.type']);
    expect(experience.variants[0]?.content).toEqual({ 'page:x': { type: 'redirect', to: '/b', carryQuery: true } });
  });
});
