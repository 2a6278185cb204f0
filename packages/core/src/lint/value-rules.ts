import type { SensitiveCategory } from '../types.js';
import type { AudienceView, ExperienceView } from './draft-view.js';
import { createFinding, locate, type LintFinding } from './finding.js';
import { findKeyword, matchCategories, type CategoryHit } from './keyword-match.js';
import { classifyKey, type LintContext } from './lint-context.js';
import { patternTopics } from './pattern-topics.js';
import { isStrictCategory, SENSITIVE_CATEGORIES, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

// Categories that describe a kind of data, not a topic: a value or a sentence naming them ("city",
// "search") says nothing about the visitor, and the field rules already judge the data itself.
const NOT_TOPICS: ReadonlySet<SensitiveCategory> = new Set([
  'W.search_terms',
  'W.coarse_geo',
  'W.proxy',
  'W.cross_site',
]);

// Variant prose names these in everyday product copy ("reset your password", "your address");
// only topics single out the visitors a variant is shown to.
const NOT_CONTENT_TOPICS: ReadonlySet<SensitiveCategory> = new Set([
  ...NOT_TOPICS,
  'S.credentials',
  'S.comms_content',
  'S.precise_geo',
]);

// Words that product copy uses figuratively ("portfolio health", "child process", "race condition",
// "a minor update", 專案健康度): in a variant's prose they are no evidence of a topic.
const FIGURATIVE: ReadonlySet<string> = new Set([
  'health',
  '健康',
  'child',
  'minor',
  'race',
  'patient',
  'faith',
  'temple',
  'gene',
]);

// The taxonomy's topics without the figurative words, built once.
const CONTENT_TOPICS = SENSITIVE_CATEGORIES.filter((category) => !NOT_CONTENT_TOPICS.has(category)).map(
  (category) =>
    [
      category,
      {
        en: SENSITIVE_TAXONOMY[category].en.filter((word) => !FIGURATIVE.has(word)),
        zhHant: SENSITIVE_TAXONOMY[category].zhHant.filter((word) => !FIGURATIVE.has(word)),
      },
    ] as const,
);

const REGEX_OPERATORS: ReadonlySet<string> = new Set(['$regex', '$regexi']);

/** A topic one tested value or pattern reveals, with words for the message. */
interface ValueTopic {
  readonly category: SensitiveCategory;
  readonly evidence: string;
}

function topicsOfValue(value: string, operator: string): ValueTopic[] {
  const isPattern = REGEX_OPERATORS.has(operator);
  const what = isPattern ? `the pattern /${value}/` : `the value '${value}'`;
  const found = new Map<SensitiveCategory, string>();
  for (const hit of matchCategories([{ where: 'value', text: value, isKey: false }])) {
    found.set(hit.category, `${what} ("${hit.keyword}")`);
  }
  // A pattern need not spell a word out: /pr[e]gnan(t|cy)/ still selects those who typed "pregnant".
  if (isPattern) {
    for (const hit of patternTopics(value)) {
      if (!found.has(hit.category)) found.set(hit.category, `${what}, which matches "${hit.keyword}"`);
    }
  }
  return [...found].map(([category, evidence]) => ({ category, evidence }));
}

function lintAudienceValues(audience: AudienceView, context: LintContext): LintFinding[] {
  const facts = context.factsOf(audience);
  const byPath = new Map<string, ValueTopic[]>();
  for (const site of facts.strings) {
    const topics = topicsOfValue(site.value, site.operator).filter((topic) => !NOT_TOPICS.has(topic.category));
    if (topics.length > 0) byPath.set(site.path, [...(byPath.get(site.path) ?? []), ...topics]);
  }
  const findings: LintFinding[] = [];
  for (const [path, topics] of byPath) {
    const field = context.fieldFor(path);
    const known = field === undefined ? classifyKey(path) : context.categoriesOf(field);
    const isSearch = known.some((match) => match.category === 'W.search_terms');
    // What the field already is, its own rules report; a value only adds what the field hides.
    const fresh = topics.filter((topic) => !known.some((match) => match.category === topic.category));
    const topic = fresh.find((candidate) => isStrictCategory(candidate.category)) ?? fresh[0];
    if (topic === undefined) continue;
    const description = SENSITIVE_TAXONOMY[topic.category].description;
    const location = locate('audience', audience.id, path);
    const name = field === undefined ? `'${path}'` : `field '${field.key}'`;
    if (isSearch) {
      findings.push(
        createFinding({
          code: 'audience_sensitive_search',
          severity: 'error',
          location,
          category: topic.category,
          message: `Audience '${audience.id}' picks visitors by what they searched for in ${name}, matched against ${topic.evidence}: search intent reveals ${description} (${topic.category}), so this targets that topic.`,
          fixHint: `Remove the test of '${path}' from '${audience.id}'. Search terms may only trigger neutral content, never a sensitive or watch-listed topic.`,
        }),
      );
    } else if (isStrictCategory(topic.category)) {
      findings.push(
        createFinding({
          code: 'audience_sensitive_value',
          severity: 'error',
          location,
          category: topic.category,
          message: `Audience '${audience.id}' tests ${name} against ${topic.evidence}, which reveals ${description} (${topic.category}). Sensitive categories may never drive targeting, whatever the field is called.`,
          fixHint: `Remove the test of '${path}' from '${audience.id}', and the answers that name ${description} from the field.`,
        }),
      );
    } else {
      findings.push(
        createFinding({
          code: 'audience_watched_value',
          severity: 'warning',
          location,
          category: topic.category,
          message: `Audience '${audience.id}' tests ${name} against ${topic.evidence}, which touches ${description} (${topic.category}).`,
          fixHint: `Acknowledge only if visitors chose this topic themselves; otherwise remove the test of '${path}'.`,
        }),
      );
    }
  }
  return findings;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, ' ');
}

function lintVariantContent(experience: ExperienceView): LintFinding[] {
  // Content shown to everyone reveals nothing about who sees it; only a chosen audience is singled out.
  if (experience.audiences.length === 0 && experience.segmentAudiences.length === 0) return [];
  const findings: LintFinding[] = [];
  for (const variant of experience.variants) {
    for (const slot of variant.slots) {
      const sources = slot.texts.map((text) => ({
        where: text.where,
        text: text.where.startsWith('html.') ? stripTags(text.text) : text.text,
        isKey: false,
      }));
      const hits: CategoryHit[] = CONTENT_TOPICS.flatMap(([category, words]) => {
        const hit = findKeyword(words, sources);
        return hit === undefined ? [] : [{ ...hit, category }];
      });
      const hit = hits.find((candidate) => isStrictCategory(candidate.category)) ?? hits[0];
      if (hit === undefined) continue;
      const description = SENSITIVE_TAXONOMY[hit.category].description;
      // A warning, not an error: content reveals something only through whom it is shown to, and
      // the audience rules already refuse sensitive targeting; the author confirms the rest.
      findings.push(
        createFinding({
          code: 'variant_sensitive_content',
          severity: 'warning',
          location: locate('experience', experience.id, `variants.${variant.id}.${slot.slot}`),
          category: hit.category,
          message: `Variant '${variant.id}' of '${experience.id}' speaks of ${description} (${hit.category}) in slot '${slot.slot}' (${hit.source.where}: "${hit.keyword}") and is shown only to chosen audiences; if it is about the visitor, seeing it tells them, and anyone beside them, what the site believes about them.`,
          fixHint: `Acknowledge only if the content is not about the visitor; otherwise show it to everyone (no audience) or rewrite slot '${slot.slot}'.`,
        }),
      );
    }
  }
  return findings;
}

/**
 * The taxonomy applied to what a draft tests and shows, not only to what it names: audience values
 * and regex patterns (search intent against a sensitive topic is an error) and targeted variant content.
 */
export function lintSensitiveValues(context: LintContext): LintFinding[] {
  return [
    ...context.draft.audiences.flatMap((audience) => lintAudienceValues(audience, context)),
    ...context.draft.experiences.flatMap(lintVariantContent),
  ];
}
