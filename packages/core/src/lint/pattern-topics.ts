import { compileLinearRegex } from '../targeting/linear-regex.js';
import type { SensitiveCategory } from '../types.js';
import { SENSITIVE_CATEGORIES, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

// Everyday words and fragments: a pattern that matches any of them is too broad to single out a
// topic (`.*`, `e`, `ent`), so matching a keyword as well says nothing about what it targets.
const BROAD = [
  '',
  'a',
  'e',
  'i',
  'o',
  's',
  '1',
  'the',
  'ent',
  'ing',
  'ion',
  'hello world',
  'pricing',
  'developer',
  'content',
  'management',
  'information',
  'marketing',
  'engineering',
  'enterprise',
  'student',
  '產品',
  '價格',
];

/** A taxonomy keyword that a pattern matches. */
export interface PatternTopic {
  readonly category: SensitiveCategory;
  readonly keyword: string;
}

/**
 * The categories a `$regex` pattern selects by what it matches rather than how it is spelled:
 * `pr[e]gnan(t|cy)` selects visitors whose value says "pregnant". Case-insensitive, since visitors
 * type in any case; empty for an invalid or unsupported pattern and for one too broad to target a topic.
 */
export function patternTopics(pattern: string): PatternTopic[] {
  const compiled = compileLinearRegex(pattern, true);
  if (!compiled.ok) return [];
  const { test } = compiled.regex;
  if (BROAD.some(test)) return [];
  const topics: PatternTopic[] = [];
  for (const category of SENSITIVE_CATEGORIES) {
    const rule = SENSITIVE_TAXONOMY[category];
    const keyword = [...rule.en, ...rule.zhHant].find(test);
    if (keyword !== undefined) topics.push({ category, keyword });
  }
  return topics;
}
