import { ExperienceDraft } from '@candor/schema';
import { describe, expect, it } from 'vitest';
import { experienceToForm, formToExperience } from './experience-form.js';

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
