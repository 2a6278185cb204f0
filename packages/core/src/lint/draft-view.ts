import type { Language, SavedGroups, Snapshot } from '../types.js';

/** The parts of a snapshot a publish checks; the dashboard lints drafts before a snapshot exists. */
export type LintDraft = Pick<
  Snapshot,
  'purposes' | 'fields' | 'audiences' | 'experiences' | 'metrics' | 'savedGroups' | 'placements'
>;

// A draft arrives from an editor or an API and may be half-filled or malformed. Rules read these
// views, where every property has a safe type, so no rule can throw on a missing or odd value.

/** A localized text with an empty string for each language that is missing. */
export type TextView = Readonly<Record<Language, string>>;

/** What the rules need of a purpose. */
export interface PurposeView {
  readonly id: string;
  readonly class: string;
  readonly legalBasis: string;
}

/** What the rules need of a field. */
export interface FieldView {
  readonly key: string;
  readonly source: string;
  /** Empty when the field names no purpose. */
  readonly purpose: string;
  readonly category: string;
  readonly origin: string;
  readonly label: TextView;
  /** Undefined when the field has no question at all. */
  readonly question: TextView | undefined;
  readonly whyWeAsk: TextView;
  readonly whatYouGet: TextView;
  /** The answers a visitor can pick: their values and labels reveal as much as the question does. */
  readonly options: readonly { readonly value: string; readonly label: TextView }[];
}

/** What the rules need of an audience. */
export interface AudienceView {
  readonly id: string;
  readonly name: string;
  /** Left as given: condition rules are written to take anything. */
  readonly condition: unknown;
}

/** One slot of a variant, with every text it would show. */
export interface SlotView {
  readonly slot: string;
  /** Texts by where they sit (`text.en`, `html.zh-Hant`, `attributes.title`). */
  readonly texts: readonly { readonly where: string; readonly text: string }[];
}

/** What the rules need of a variant. */
export interface VariantView {
  readonly id: string;
  readonly name: string;
  readonly interruptive: boolean;
  readonly slots: readonly SlotView[];
}

/** What the rules need of an experience. */
export interface ExperienceView {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly audiences: readonly string[];
  /** Audience ids of its per-audience bandit segments. */
  readonly segmentAudiences: readonly string[];
  readonly variants: readonly VariantView[];
  /** NaN when missing or not a number. */
  readonly holdout: number;
  /** Undefined when absent; NaN members when malformed. */
  readonly frequencyCap: { readonly maxImpressions: number; readonly perDays: number } | undefined;
  readonly breakdowns: readonly string[];
  /** Metric ids of goals and guardrails together. */
  readonly metrics: readonly string[];
  /** Its page patterns, as written (`type` is '' when missing). */
  readonly pages: readonly { readonly type: string; readonly pattern: string }[];
}

/** What the rules need of a question placed on pages. */
export interface PlacementView {
  readonly id: string;
  readonly field: string;
  /** Empty means every page. */
  readonly pages: readonly { readonly type: string; readonly pattern: string }[];
}

/** The whole draft as safe views. */
export interface DraftView {
  readonly purposes: readonly PurposeView[];
  readonly fields: readonly FieldView[];
  readonly audiences: readonly AudienceView[];
  readonly experiences: readonly ExperienceView[];
  readonly metricIds: readonly string[];
  /** Questions placed on pages: which field's question each one shows. */
  readonly placements: readonly PlacementView[];
  /** Saved groups whose value is a list; anything else is dropped (the engine treats it as empty). */
  readonly savedGroups: SavedGroups;
}

type Bag = Readonly<Record<string, unknown>>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bag(value: unknown): Bag {
  return isBag(value) ? value : {};
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function string(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// An entity without an id still gets a stable, readable handle for its findings.
function id(value: unknown, index: number): string {
  return typeof value === 'string' && value !== '' ? value : `#${index}`;
}

function text(value: unknown): TextView {
  const texts = bag(value);
  return { en: string(texts['en']), 'zh-Hant': string(texts['zh-Hant']) };
}

function number(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function readField(value: unknown, index: number): FieldView {
  const field = bag(value);
  return {
    key: id(field['key'], index),
    source: string(field['source']),
    purpose: string(field['purpose']),
    category: string(field['category']),
    origin: string(field['origin']),
    label: text(field['label']),
    question: field['question'] === undefined ? undefined : text(field['question']),
    whyWeAsk: text(field['whyWeAsk']),
    whatYouGet: text(field['whatYouGet']),
    options: list(field['options']).map((option) => ({
      value: string(bag(option)['value']),
      label: text(bag(option)['label']),
    })),
  };
}

function readSlot(slot: string, value: unknown): SlotView {
  const content = bag(value);
  const texts: { where: string; text: string }[] = [];
  readTexts(content, '', texts);
  // A page slot's changes show text just as a slot does: every rule that reads a variant's texts
  // reads theirs too (`changes.0.html.en`), so a visual-editor edit is held to the same standard.
  for (const [index, change] of list(content['changes']).entries()) {
    const item = bag(change);
    readTexts(item, `changes.${index}.`, texts);
    const localizedAlt = bag(item['alt']);
    for (const language of ['en', 'zh-Hant'] as const) {
      const alt = string(localizedAlt[language]);
      if (alt !== '') texts.push({ where: `changes.${index}.alt.${language}`, text: alt });
    }
    if (item['op'] === 'attribute' && typeof item['value'] === 'string')
      texts.push({ where: `changes.${index}.attributes.${string(item['name'])}`, text: item['value'] });
  }
  // A redirect shows no text, but its address can say what a slot would (`/pregnancy-offers`).
  if (typeof content['to'] === 'string') texts.push({ where: 'redirect.to', text: content['to'] });
  return { slot, texts };
}

function readTexts(content: Record<string, unknown>, prefix: string, texts: { where: string; text: string }[]): void {
  for (const kind of ['text', 'html'] as const) {
    const localized = bag(content[kind]);
    for (const language of ['en', 'zh-Hant'] as const) {
      const body = string(localized[language]);
      if (body !== '') texts.push({ where: `${prefix}${kind}.${language}`, text: body });
    }
  }
  for (const [name, attribute] of Object.entries(bag(content['attributes']))) {
    if (typeof attribute === 'string') texts.push({ where: `${prefix}attributes.${name}`, text: attribute });
  }
}

function readVariant(value: unknown, index: number): VariantView {
  const variant = bag(value);
  return {
    id: id(variant['id'], index),
    name: string(variant['name']),
    interruptive: variant['interruptive'] === true,
    slots: Object.entries(bag(variant['content'])).map(([slot, content]) => readSlot(slot, content)),
  };
}

function readExperience(value: unknown, index: number): ExperienceView {
  const experience = bag(value);
  const cap = experience['frequencyCap'];
  return {
    id: id(experience['id'], index),
    name: string(experience['name']),
    kind: string(experience['kind']),
    audiences: list(experience['audiences']).filter((item): item is string => typeof item === 'string'),
    segmentAudiences: list(experience['segments'])
      .map((segment) => bag(segment)['audience'])
      .filter((item): item is string => typeof item === 'string'),
    variants: list(experience['variants']).map(readVariant),
    pages: list(experience['pages']).map((page) => ({
      type: string(bag(page)['type']),
      pattern: string(bag(page)['pattern']),
    })),
    holdout: number(experience['holdout']),
    frequencyCap:
      cap === undefined
        ? undefined
        : { maxImpressions: number(bag(cap)['maxImpressions']), perDays: number(bag(cap)['perDays']) },
    breakdowns: list(experience['breakdowns']).filter((item): item is string => typeof item === 'string'),
    metrics: [...list(experience['goals']), ...list(experience['guardrails'])].filter(
      (item): item is string => typeof item === 'string',
    ),
  };
}

/** Reads any value as a draft, treating what is missing or malformed as empty; never throws on JSON input. */
export function readDraft(draft: unknown): DraftView {
  const root = bag(draft);
  return {
    purposes: list(root['purposes']).map((value, index) => {
      const purpose = bag(value);
      return {
        id: id(purpose['id'], index),
        class: string(purpose['class']),
        legalBasis: string(purpose['legalBasis']),
      };
    }),
    fields: list(root['fields']).map(readField),
    audiences: list(root['audiences']).map((value, index) => {
      const audience = bag(value);
      return { id: id(audience['id'], index), name: string(audience['name']), condition: audience['condition'] };
    }),
    experiences: list(root['experiences']).map(readExperience),
    metricIds: list(root['metrics']).map((value, index) => id(bag(value)['id'], index)),
    placements: list(root['placements']).map((value, index) => ({
      id: id(bag(value)['id'], index),
      field: string(bag(value)['field']),
      pages: list(bag(value)['pages']).map((page) => ({
        type: string(bag(page)['type']),
        pattern: string(bag(page)['pattern']),
      })),
    })),
    // fromEntries defines own properties, so a group named "__proto__" stays an ordinary entry.
    savedGroups: Object.fromEntries(
      Object.entries(bag(root['savedGroups'])).filter(([, group]) => Array.isArray(group)),
    ) as SavedGroups,
  };
}
