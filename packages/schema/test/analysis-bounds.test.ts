import { describe, expect, it } from 'vitest';
import { DifferentialPrivacySettings, ExperienceAnalysis, ExperienceDraft, MetricDraft } from '../src/index.js';

const bandit = {
  id: 'x',
  name: 'X',
  kind: 'experiment',
  audiences: [],
  variants: ['a', 'b', 'c'].map((id) => ({ id, name: id, content: {} })),
  holdout: 0,
  coverage: 1,
  allocation: 'bandit',
  hashVersion: 2,
  seed: 's',
  goals: [],
};

describe('analysis settings bounds', () => {
  it('refuses a bandit minimum share of 1/arms or more, saying what to use instead', () => {
    const draft = (minimumShare: number) => ({ ...bandit, analysis: { bandit: { minimumShare } } });
    expect(ExperienceDraft.safeParse(draft(0.3)).success).toBe(true);
    const refused = ExperienceDraft.safeParse(draft(0.34));
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('less than 0.333')]);
  });

  it('bounds ε and metric caps so no privacy release can be Infinity', () => {
    expect(DifferentialPrivacySettings.safeParse({ epsilon: 1e-306 }).success).toBe(false);
    expect(DifferentialPrivacySettings.safeParse({ epsilon: 0.01 }).success).toBe(true);
    const metric = { id: 'revenue', name: 'Revenue', kind: 'mean' };
    expect(MetricDraft.safeParse({ ...metric, cap: 1e155 }).success).toBe(false);
    expect(MetricDraft.safeParse({ ...metric, cap: 1e9 }).success).toBe(true);
  });

  it('infers relative lift on the log-ratio scale unless the delta method is asked for', () => {
    expect(ExperienceAnalysis.parse({}).relativeMethod).toBe('log_ratio');
    expect(ExperienceAnalysis.parse({ relativeMethod: 'delta' }).relativeMethod).toBe('delta');
  });
});
