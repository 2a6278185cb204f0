import { compileCondition, type CompileResult, type ConditionError } from '../targeting/compile-condition.js';
import { CONDITION_LIMITS } from '../targeting/limits.js';
import { regexProblem, type RegexProblem } from '../targeting/regex-safety.js';
import type { AudienceView, FieldView } from './draft-view.js';
import type { ConditionFacts } from './condition-walk.js';
import { WATCH_ADVICE } from './field-rules.js';
import { createFinding, locate, type LintFinding } from './finding.js';
import { classifyKey, severityFor, type CategoryMatch, type LintContext } from './lint-context.js';
import { isAgeLike, selectsMinors } from './minor-targeting.js';
import { isStrictCategory, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

const COMPILE_PROBLEMS: Readonly<Record<ConditionError, string>> = {
  not_an_object: 'is not an object',
  too_deep: `nests deeper than ${CONDITION_LIMITS.maxDepth} levels`,
  too_large: `has more than ${CONDITION_LIMITS.maxNodes} operators and fields`,
};

const REGEX_PROBLEMS: Readonly<Record<RegexProblem, string>> = {
  invalid: 'is not a valid regular expression',
  too_long: `is longer than ${CONDITION_LIMITS.maxRegexLength} characters`,
  unsupported: 'uses a backreference or lookaround, which no linear-time matcher can run',
  too_complex: `expands past ${CONDITION_LIMITS.maxRegexProgram} steps per character (counted repeats multiply)`,
  nested_quantifier: 'repeats a group that itself repeats (like (a+)+), which can take exponential time',
  overlapping_alternation: 'repeats alternatives that can start alike (like (a|ab)*), which can take exponential time',
};

function compile(audience: AudienceView, context: LintContext): CompileResult | 'crashed' {
  try {
    return compileCondition(audience.condition, context.draft.savedGroups);
  } catch {
    // The engine rethrows what it does not expect (a literal nested past the stack); at publish
    // that is one more reason to refuse the condition, never a reason for the linter to throw.
    return 'crashed';
  }
}

function lintCompile(audience: AudienceView, context: LintContext): LintFinding[] {
  const result = compile(audience, context);
  if (result !== 'crashed' && result.ok) return [];
  const problem = result === 'crashed' ? 'could not be compiled' : COMPILE_PROBLEMS[result.error];
  return [
    createFinding({
      code: 'condition_invalid',
      severity: 'error',
      location: locate('audience', audience.id, 'condition'),
      message: `The condition of audience '${audience.id}' ${problem}, so it would never match anyone.`,
      fixHint: `Rewrite the condition of '${audience.id}' as a smaller object of field tests (at most ${CONDITION_LIMITS.maxDepth} levels and ${CONDITION_LIMITS.maxNodes} nodes).`,
    }),
  ];
}

function lintOperators(audience: AudienceView, facts: ConditionFacts): LintFinding[] {
  const findings = facts.unknownOperators.map((site) => {
    const where = site.path === '' ? 'at the top of its condition' : `on '${site.path}'`;
    const misplaced = site.value === 'value' && ['$and', '$or', '$nor'].includes(site.operator);
    return createFinding({
      code: 'condition_unknown_operator',
      severity: 'error',
      location: locate('audience', audience.id, site.path === '' ? site.operator : `${site.path}.${site.operator}`),
      message: misplaced
        ? `Audience '${audience.id}' uses '${site.operator}' ${where}; it combines whole conditions and cannot test one field, so that part never matches.`
        : `Audience '${audience.id}' uses '${site.operator}' ${where}, which is not a supported operator, so that part never matches.`,
      fixHint: misplaced
        ? `Move '${site.operator}' up to the condition level: { ${site.operator}: [{ '${site.path}': ... }, ...] }.`
        : `Replace '${site.operator}' with a supported operator such as $eq, $in, $gt, $exists or $regex.`,
    });
  });
  for (const site of facts.regexes) {
    const problem = typeof site.value === 'string' ? regexProblem(site.value) : 'invalid';
    if (problem === null) continue;
    findings.push(
      createFinding({
        code: 'condition_unsafe_regex',
        severity: 'error',
        location: locate('audience', audience.id, `${site.path}.${site.operator}`),
        message: `Audience '${audience.id}' tests '${site.path}' with a ${site.operator} pattern that ${typeof site.value === 'string' ? REGEX_PROBLEMS[problem] : 'is not a string'}; the engine refuses it, so it never matches.`,
        fixHint:
          'Use a simpler pattern (no backreferences or lookaround, no repeated groups that repeat, no alternatives that start alike, small counts), or $in with the exact values.',
      }),
    );
  }
  return findings;
}

function mostSevere(matches: readonly CategoryMatch[], field: FieldView | undefined, context: LintContext) {
  return [...matches].sort(
    (a, b) =>
      Number(severityFor(a.category, field, context) === 'warning') -
      Number(severityFor(b.category, field, context) === 'warning'),
  )[0];
}

function describeUse(category: CategoryMatch['category']): string {
  return category === 'W.search_terms' ? 'as a trigger' : 'to choose visitors';
}

function lintReads(audience: AudienceView, facts: ConditionFacts, context: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  // Only tests that must pass count for who is selected; a negated `{ age: { $lt: 18 } }` keeps adults.
  const expressions = new Map<string, unknown[]>();
  for (const read of facts.reads) {
    expressions.set(read.path, [...(expressions.get(read.path) ?? []), ...(read.negated ? [] : [read.expression])]);
  }
  const watched = new Map<string, string>();

  for (const [path, tested] of expressions) {
    const field = context.fieldFor(path);
    const location = locate('audience', audience.id, path);
    if (field === undefined) {
      findings.push(
        createFinding({
          code: 'condition_undeclared_field',
          severity: 'error',
          location,
          message: `Audience '${audience.id}' reads '${path}', which no field declares; visitors could never see why or how that data is used.`,
          fixHint: `Declare a field '${path}' with its purpose and visitor-facing text, or stop reading it.`,
        }),
      );
    }
    const matches = field === undefined ? classifyKey(path) : context.categoriesOf(field);
    const name = field === undefined ? `'${path}'` : `field '${field.key}'`;

    const strict = matches.find((match) => isStrictCategory(match.category));
    if (strict !== undefined) {
      findings.push(
        createFinding({
          code: 'audience_sensitive_field',
          severity: 'error',
          location,
          category: strict.category,
          message: `Audience '${audience.id}' targets on ${name}, which is or reveals ${SENSITIVE_TAXONOMY[strict.category].description} (${strict.category}, going by ${strict.evidence}). Sensitive categories may never drive targeting.`,
          fixHint: `Remove the test of '${path}' from audience '${audience.id}'.`,
        }),
      );
    }

    const watch = mostSevere(
      matches.filter((match) => !isStrictCategory(match.category)),
      field,
      context,
    );
    if (watch !== undefined) {
      watched.set(field?.key ?? path, `${name} (${watch.category})`);
      findings.push(
        createFinding({
          code: 'audience_watched_field',
          severity: severityFor(watch.category, field, context),
          location,
          category: watch.category,
          message: `Audience '${audience.id}' uses ${name}, which touches ${SENSITIVE_TAXONOMY[watch.category].description} (${watch.category}, going by ${watch.evidence}), ${describeUse(watch.category)}.`,
          fixHint:
            WATCH_ADVICE[watch.category] ??
            `Remove the test of '${path}', or put its field under a consent-based purpose.`,
        }),
      );
    }

    if (field?.source === 'inferred') {
      findings.push(
        createFinding({
          code: 'audience_inferred_field',
          severity: 'warning',
          location,
          message: `Audience '${audience.id}' targets on inferred field '${field.key}': a guess about the visitor, which they never told you and may find wrong or intrusive.`,
          fixHint: `Acknowledge, or ask the visitor with a declared field instead of inferring '${field.key}'.`,
        }),
      );
    }

    if (isAgeLike(path, field) && tested.some(selectsMinors)) {
      findings.push(
        createFinding({
          code: 'audience_targets_minors',
          severity: 'error',
          location,
          category: 'S.minor',
          message: `Audience '${audience.id}' can select visitors under 18 through its test of '${path}'; minors may not be profiled.`,
          fixHint: `Give the test of '${path}' an adult lower bound (for example { ${path}: { $gte: 18, $lt: 35 } }), or remove it.`,
        }),
      );
    }
  }

  if (watched.size >= 2) {
    findings.push(
      createFinding({
        code: 'audience_proxy',
        severity: 'warning',
        location: locate('audience', audience.id),
        category: 'W.proxy',
        message: `Audience '${audience.id}' combines ${watched.size} watch-listed signals: ${[...watched.values()].join(', ')}. Together they can stand in for a sensitive category.`,
        fixHint: WATCH_ADVICE['W.proxy'] ?? 'Acknowledge, or split the audience.',
      }),
    );
  }
  return findings;
}

/** Audiences whose conditions are broken or unsafe, read undeclared or sensitive data, or single out minors. */
export function lintAudiences(context: LintContext): LintFinding[] {
  return context.draft.audiences.flatMap((audience) => {
    const facts = context.factsOf(audience);
    return [
      ...lintCompile(audience, context),
      ...lintOperators(audience, facts),
      ...lintReads(audience, facts, context),
    ];
  });
}
