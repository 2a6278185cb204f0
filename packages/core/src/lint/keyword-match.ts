import type { SensitiveCategory } from '../types.js';
import { SENSITIVE_CATEGORIES, SENSITIVE_TAXONOMY } from './sensitive-taxonomy.js';

/** A piece of text the linter reads, and where it came from so a message can point there. */
export interface TextSource {
  /** Where the text sits, in words for a message: `key`, `label.en`, `question.zh-Hant`. */
  readonly where: string;
  readonly text: string;
  /** Keys also match the taxonomy's key-only words (`q`, `lat`), which are too ambiguous in prose. */
  readonly isKey: boolean;
}

/** English words or phrases and Chinese terms, the shape both the taxonomy and other word lists share. */
export interface KeywordList {
  readonly en: readonly string[];
  readonly zhHant: readonly string[];
  readonly keyOnly?: readonly string[];
}

/** Which keyword matched in which text. */
export interface KeywordHit {
  readonly keyword: string;
  readonly source: TextSource;
}

/** A category a text reveals, with the evidence. */
export interface CategoryHit extends KeywordHit {
  readonly category: SensitiveCategory;
}

/**
 * Lower-case word tokens of a key or a sentence: camelCase, snake_case, kebab-case, dots and spaces
 * all split, so `searchQuery`, `search_query` and "Search query" read alike. Non-Latin text is a separator.
 *
 * @example tokenize('utmTerm.raw_value') // ['utm', 'term', 'raw', 'value']
 */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '');
}

// Phrases are compiled once: a lint runs per publish but walks every field against every category.
const phraseCache = new Map<string, readonly string[]>();

function phraseTokens(phrase: string): readonly string[] {
  let tokens = phraseCache.get(phrase);
  if (tokens === undefined) {
    tokens = tokenize(phrase);
    phraseCache.set(phrase, tokens);
  }
  return tokens;
}

// A light plural rule so lists need not spell "debts", "vacancies" or "searches" out.
function wordMatches(token: string, word: string): boolean {
  if (token === word || token === `${word}s` || token === `${word}es`) return true;
  return word.endsWith('y') && token === `${word.slice(0, -1)}ies`;
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    if (phrase.every((word, i) => wordMatches(tokens[start + i] as string, word))) return true;
  }
  return false;
}

interface PreparedSource {
  readonly source: TextSource;
  readonly tokens: readonly string[];
}

// Tokenize each text once, not once per category.
function prepare(sources: readonly TextSource[]): PreparedSource[] {
  return sources.map((source) => ({ source, tokens: tokenize(source.text) }));
}

function findIn(list: KeywordList, prepared: readonly PreparedSource[]): KeywordHit | undefined {
  for (const { source, tokens } of prepared) {
    const english = source.isKey ? [...list.en, ...(list.keyOnly ?? [])] : list.en;
    const word = english.find((keyword) => containsPhrase(tokens, phraseTokens(keyword)));
    if (word !== undefined) return { keyword: word, source };
    const term = list.zhHant.find((keyword) => source.text.includes(keyword));
    if (term !== undefined) return { keyword: term, source };
  }
  return undefined;
}

/** The first keyword of `list` found in `sources`, or undefined: English by whole words, Chinese as substrings. */
export function findKeyword(list: KeywordList, sources: readonly TextSource[]): KeywordHit | undefined {
  return findIn(list, prepare(sources));
}

/** Every taxonomy category the texts reveal by keyword, in taxonomy order, with the first evidence of each. */
export function matchCategories(sources: readonly TextSource[]): CategoryHit[] {
  const prepared = prepare(sources);
  const hits: CategoryHit[] = [];
  for (const category of SENSITIVE_CATEGORIES) {
    const hit = findIn(SENSITIVE_TAXONOMY[category], prepared);
    if (hit !== undefined) hits.push({ ...hit, category });
  }
  return hits;
}
