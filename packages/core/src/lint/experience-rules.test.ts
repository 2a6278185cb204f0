import { describe, expect, it } from 'vitest';
import { contextField, declaredField, draftWith, experience, text } from '../../test/lint-draft-fixtures.js';
import type { Experience, Variant } from '../types.js';
import { lint } from './lint.js';

const FIELDS = [
  declaredField('conditions', text('Health conditions', '健康狀況')),
  contextField('ipCity', text('City', '城市')),
];
const lintExperience = (overrides: Partial<Experience>) =>
  lint(draftWith({ fields: FIELDS, experiences: [experience('probe', overrides)] })).filter(
    (finding) => finding.location.entity === 'experience',
  );
const codes = (overrides: Partial<Experience>) => lintExperience(overrides).map((finding) => finding.code);

const popup: Variant = {
  id: 'popup',
  name: 'Newsletter pop-up',
  interruptive: true,
  content: { modal: { type: 'text', text: text('Join our newsletter', '訂閱電子報') } },
};

describe('experience rules: breakdowns', () => {
  it('breaking results down by a sensitive field is an error', () => {
    expect(lintExperience({ breakdowns: ['conditions'] })).toMatchObject([
      {
        code: 'breakdown_sensitive_field',
        severity: 'error',
        category: 'S.health',
        location: { path: 'breakdowns.conditions' },
      },
    ]);
  });

  it('breaking results down by a watch-listed field is a warning', () => {
    expect(lintExperience({ breakdowns: ['ipCity'] })).toMatchObject([
      { code: 'breakdown_sensitive_field', severity: 'warning', category: 'W.coarse_geo' },
    ]);
  });

  it('breaking results down by an undeclared key is an error', () => {
    expect(codes({ breakdowns: ['plan'] })).toEqual(['breakdown_undeclared_field']);
  });

  it('breaking results down by a neutral declared field is fine', () => {
    expect(codes({ breakdowns: ['role', 'language'] })).toEqual([]);
  });
});

describe('experience rules: interruptions', () => {
  it('an interruptive variant without a frequency cap is a warning naming it', () => {
    const [finding] = lintExperience({ variants: [popup] });
    expect(finding).toMatchObject({ code: 'interruptive_without_cap', severity: 'warning' });
    expect(finding?.message).toContain("'popup'");
  });

  it.each([
    [{ maxImpressions: 4, perDays: 1 }],
    [{ maxImpressions: 10, perDays: 3 }],
    [{ maxImpressions: 1, perDays: 0 }],
  ])('a cap looser than 3 a day is a warning: %j', (frequencyCap) => {
    expect(codes({ variants: [popup], frequencyCap })).toEqual(['interruptive_loose_cap']);
  });

  it.each([[{ maxImpressions: 3, perDays: 1 }], [{ maxImpressions: 1, perDays: 7 }]])(
    'a cap of %j is fine',
    (frequencyCap) => {
      expect(codes({ variants: [popup], frequencyCap })).toEqual([]);
    },
  );

  it('variants that do not interrupt need no cap', () => {
    expect(codes({})).toEqual([]);
  });
});

describe('experience rules: holdout', () => {
  it('a personalization with holdout 0 is a warning', () => {
    expect(codes({ holdout: 0 })).toEqual(['personalization_without_holdout']);
  });

  it('an experiment with holdout 0 is fine (its control is the comparison)', () => {
    expect(codes({ kind: 'experiment', holdout: 0 })).toEqual([]);
  });
});

describe('experience references', () => {
  it('refuses an experience targeting an audience the draft does not define', () => {
    expect(lintExperience({ audiences: ['ghosts'] })).toContainEqual(
      expect.objectContaining({
        code: 'experience_unknown_audience',
        severity: 'error',
        fingerprint: expect.stringContaining('ghosts'),
      }),
    );
  });

  it('refuses a per-audience bandit segment for an audience the draft does not define', () => {
    expect(
      lintExperience({ allocation: 'bandit', segments: [{ audience: 'ghosts' }] }).filter(
        (finding) => finding.code === 'experience_unknown_audience',
      ),
    ).toMatchObject([{ severity: 'error', location: { path: 'segments.ghosts' } }]);
  });

  it('refuses a goal or guardrail naming an unknown metric', () => {
    expect(
      codes({ goals: ['signup'], guardrails: ['revenue-nowhere'] }).filter(
        (code) => code === 'experience_unknown_metric',
      ),
    ).toHaveLength(1);
  });

  it('accepts an experience whose audiences and metrics all exist', () => {
    expect(codes({})).not.toContain('experience_unknown_audience');
    expect(codes({})).not.toContain('experience_unknown_metric');
  });
});

describe('experience rules: variant HTML the SDK would strip', () => {
  const withHtml = (en: string, zh = '<p>好</p>'): Variant => ({
    id: 'rich',
    name: 'Rich',
    content: { banner: { type: 'html', html: { en, 'zh-Hant': zh } } },
  });
  const findings = (variant: Variant) =>
    lintExperience({ variants: [variant] }).filter((finding) => finding.code === 'variant_unsafe_html');

  it('warns, naming each part the sanitiser removes, at the variant and slot', () => {
    const [finding] = findings(
      withHtml('<p onclick="track()">Hi</p><script>alert(1)</script><a href=" javascript:void(0)">x</a>'),
    );
    expect(finding).toMatchObject({ severity: 'warning', location: { path: 'variants.rich.banner' } });
    expect(finding!.message).toContain('a <script> element');
    expect(finding!.message).toContain('event handler');
    expect(finding!.message).toContain('javascript:');
  });

  it('reads every language of the HTML, and says each kind of part once', () => {
    const [finding] = findings(withHtml('<p>fine</p>', '<p style="color:red">紅</p><p style="x">再</p>'));
    expect(finding!.message.match(/style attribute/g)).toHaveLength(1);
  });

  it('leaves clean HTML and text content alone', () => {
    expect(findings(withHtml('<p class="lede">Plans <a href="/docs">docs</a> <img src="/a.png" alt=""></p>'))).toEqual(
      [],
    );
    expect(
      findings({ id: 't', name: 'T', content: { banner: { type: 'text', text: { en: '<script>', 'zh-Hant': 'x' } } } }),
    ).toEqual([]);
  });
});
