import type { ExperienceView } from './draft-view.js';
import { createFinding, locate, type LintFinding } from './finding.js';
import { PAGE_PATTERN_FIX, pagePatternProblem } from './page-patterns.js';
import { unsafeHtmlParts } from './unsafe-html.js';
import { classifyKey, severityFor, type LintContext } from './lint-context.js';
import { isStrictCategory, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

/** The most impressions a day an interruptive variant may show before it counts as nagging. */
export const MAX_INTERRUPTIONS_PER_DAY = 3;

function lintBreakdowns(experience: ExperienceView, context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const key of new Set(experience.breakdowns)) {
    const field = context.fieldFor(key);
    const location = locate('experience', experience.id, `breakdowns.${key}`);
    if (field === undefined) {
      findings.push(
        createFinding({
          code: 'breakdown_undeclared_field',
          severity: 'error',
          location,
          message: `Experience '${experience.id}' breaks results down by '${key}', which no field declares.`,
          fixHint: `Declare a field '${key}' or remove it from the breakdowns of '${experience.id}'.`,
        }),
      );
    }
    const matches = field === undefined ? classifyKey(key) : context.categoriesOf(field);
    // One finding per breakdown: the strictest category decides; S always outranks W.
    const match = matches.find((candidate) => isStrictCategory(candidate.category)) ?? matches[0];
    if (match === undefined) continue;
    const strict = isStrictCategory(match.category);
    findings.push(
      createFinding({
        code: 'breakdown_sensitive_field',
        severity: strict ? 'error' : severityFor(match.category, field, context),
        location,
        category: match.category,
        message: `Experience '${experience.id}' breaks results down by '${key}', which is or reveals ${SENSITIVE_TAXONOMY[match.category].description} (${match.category}, going by ${match.evidence}).`,
        fixHint: strict
          ? `Remove '${key}' from the breakdowns: results are never broken down by a sensitive dimension.`
          : `Acknowledge, or remove '${key}' from the breakdowns of '${experience.id}'.`,
      }),
    );
  }
  return findings;
}

function lintFrequency(experience: ExperienceView): LintFinding[] {
  const interruptive = experience.variants
    .filter((variant) => variant.interruptive)
    .map((variant) => `'${variant.id}'`);
  if (interruptive.length === 0) return [];
  const cap = experience.frequencyCap;
  const variants = `interruptive variant${interruptive.length > 1 ? 's' : ''} ${interruptive.join(', ')}`;
  if (cap === undefined) {
    return [
      createFinding({
        code: 'interruptive_without_cap',
        severity: 'warning',
        location: locate('experience', experience.id, 'frequencyCap'),
        message: `Experience '${experience.id}' shows ${variants} with no frequency cap, so a visitor could be interrupted on every page.`,
        fixHint: `Add a frequencyCap to '${experience.id}', for example { maxImpressions: 1, perDays: 1 }.`,
      }),
    ];
  }
  const perDay = cap.maxImpressions / cap.perDays;
  // NaN (a malformed cap) and a zero-day window fail this test too: neither limits anything.
  if (perDay >= 0 && perDay <= MAX_INTERRUPTIONS_PER_DAY && cap.perDays > 0) return [];
  return [
    createFinding({
      code: 'interruptive_loose_cap',
      severity: 'warning',
      location: locate('experience', experience.id, 'frequencyCap'),
      message: `Experience '${experience.id}' caps ${variants} at ${cap.maxImpressions} impressions per ${cap.perDays} day(s), looser than ${MAX_INTERRUPTIONS_PER_DAY} a day.`,
      fixHint: `Lower the cap of '${experience.id}' to at most ${MAX_INTERRUPTIONS_PER_DAY} impressions per day (for example { maxImpressions: 1, perDays: 1 }).`,
    }),
  ];
}

function lintHoldout(experience: ExperienceView): LintFinding[] {
  if (experience.kind !== 'personalization' || experience.holdout > 0) return [];
  return [
    createFinding({
      code: 'personalization_without_holdout',
      severity: 'warning',
      location: locate('experience', experience.id, 'holdout'),
      message: `Personalization '${experience.id}' has no holdout, so nobody sees the default content and its lift can never be shown.`,
      fixHint: `Give '${experience.id}' a holdout such as 0.05 or 0.1.`,
    }),
  ];
}

function lintReferences(experience: ExperienceView, context: LintContext): LintFinding[] {
  const missingAudiences = experience.audiences
    .filter((id) => context.audience(id) === undefined)
    .map((id) =>
      createFinding({
        code: 'experience_unknown_audience',
        severity: 'error',
        location: locate('experience', experience.id, `audiences.${id}`),
        message: `Experience '${experience.id}' targets audience '${id}', which the draft does not define, so it would never run.`,
        fixHint: `Create audience '${id}' or remove it from the audiences of '${experience.id}'.`,
      }),
    );
  const missingSegments = experience.segmentAudiences
    .filter((id) => context.audience(id) === undefined)
    .map((id) =>
      createFinding({
        code: 'experience_unknown_audience',
        severity: 'error',
        location: locate('experience', experience.id, `segments.${id}`),
        message: `Experience '${experience.id}' learns bandit weights for audience '${id}', which the draft does not define.`,
        fixHint: `Create audience '${id}' or remove it from the per-audience segments of '${experience.id}'.`,
      }),
    );
  const metrics = new Set(context.draft.metricIds);
  const missingMetrics = [...new Set(experience.metrics)]
    .filter((id) => !metrics.has(id))
    .map((id) =>
      createFinding({
        code: 'experience_unknown_metric',
        severity: 'error',
        location: locate('experience', experience.id, `metrics.${id}`),
        message: `Experience '${experience.id}' is judged on metric '${id}', which the draft does not define.`,
        fixHint: `Create metric '${id}' or remove it from the goals and guardrails of '${experience.id}'.`,
      }),
    );
  return [...missingAudiences, ...missingSegments, ...missingMetrics];
}

/** Where a slot's HTML sits: its own `html.en`, or a page change's `changes.3.html.en`. */
const HTML_TEXT = /^(changes\.\d+\.)?html\./;

/** HTML the SDK would strip: the author learns at publish time, not from a page that looks wrong. */
function lintVariantHtml(experience: ExperienceView): LintFinding[] {
  return experience.variants.flatMap((variant) =>
    variant.slots.flatMap((slot) => {
      const parts = [
        ...new Set(
          slot.texts.filter((text) => HTML_TEXT.test(text.where)).flatMap((text) => unsafeHtmlParts(text.text)),
        ),
      ];
      if (parts.length === 0) return [];
      return [
        createFinding({
          code: 'variant_unsafe_html',
          severity: 'warning',
          location: locate('experience', experience.id, `variants.${variant.id}.${slot.slot}`),
          message: `Variant '${variant.id}' of '${experience.id}' has HTML in slot '${slot.slot}' that the SDK removes before it renders: ${parts.join('; ')}.`,
          fixHint:
            'Remove scripts, event handlers, style attributes and unsafe URLs; style with a class. Candor never runs variant scripts.',
        }),
      ];
    }),
  );
}

/**
 * Page patterns run on the visitor's page on the linear matcher, like a condition's `$regex`: one
 * it refuses would never match, so the experience would silently run nowhere.
 */
function lintPages(experience: ExperienceView): LintFinding[] {
  return experience.pages.flatMap((page, index) => {
    const problem = pagePatternProblem(page);
    if (problem === null) return [];
    return [
      createFinding({
        code: 'condition_unsafe_regex',
        severity: 'error',
        location: locate('experience', experience.id, `pages.${index}`),
        message: `Experience '${experience.id}' runs on pages matching '${page.pattern}', a ${page.type || 'page'} pattern the engine refuses (${problem.replace('_', ' ')}), so it would run on no page.`,
        fixHint: PAGE_PATTERN_FIX,
      }),
    ];
  });
}

/** Dangling references, breakdowns by sensitive or undeclared data, uncapped or loosely capped interruptions, unprovable personalizations and HTML the SDK would strip. */
export function lintExperiences(context: LintContext): LintFinding[] {
  return context.draft.experiences.flatMap((experience) => [
    ...lintReferences(experience, context),
    ...lintBreakdowns(experience, context),
    ...lintFrequency(experience),
    ...lintHoldout(experience),
    ...lintVariantHtml(experience),
    ...lintPages(experience),
  ]);
}
