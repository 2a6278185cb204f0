import { measurementGranted } from '../consent/measurement-granted.js';
import { visibleProfile, type VisibleProfile, type VisibleSignal } from '../consent/visible-profile.js';
import { decideSlots } from '../decide/decide.js';
import type { Decision } from '../decide/decision.js';
import type { ControlAction, ExplanationMessages, OffCause } from '../messages/catalog.js';
import { messagesFor, pickLanguage, siteLanguage } from '../messages/language.js';
import { prepareSnapshot, prepareVerifiedSnapshot, type PreparedSnapshot } from '../snapshot/prepare-snapshot.js';
import { validateConsent, validateProfile } from '../snapshot/validate-visitor-state.js';
import type { ConsentState, DecisionContext, Language, Profile, Purpose, Snapshot } from '../types.js';
import { landingSentence } from '../messages/redirect-landing.js';
import { findFlip, type DecisionInputs } from './counterfactual.js';
import type { Counterfactual, ExcludedCode, ExplainedSignal, Explanation } from './explanation.js';
import { formatDate, formatList, formatValue } from './format-value.js';

/** The inputs the decision was made from: explanations re-derive, they never trust free text. */
export interface ExplainInput {
  readonly snapshot: unknown;
  readonly profile: unknown;
  readonly consent: unknown;
  readonly context: DecisionContext;
}

/** Options of `explain`. */
export interface ExplainOptions {
  /**
   * Defaults to the context's language preferences, then the site's default language; a language
   * the site does not write its texts in gives way to the default.
   */
  readonly language?: Language;
  /** IANA zone for dates; the SDK passes the browser's. */
  readonly timeZone?: string;
}

/**
 * The visitor-facing explanation of a decision, generated from the condition parts that actually
 * matched and from a real re-decision for the counterfactual. Never throws.
 *
 * @example explain(decision, { snapshot, profile, consent, context }, { language: 'zh-Hant' }).text.mainReason
 */
export function explain(decision: Decision, input: ExplainInput, options: ExplainOptions = {}): Explanation {
  return createExplainer(input, options)(decision);
}

/**
 * An explainer for every decision of one `decide` call: validation, the visible profile and the
 * language are worked out once, which is what makes explaining a whole page cheap.
 *
 * @example const why = createExplainer({ snapshot, profile, consent, context }); decisions.map(why)
 */
export function createExplainer(
  input: ExplainInput,
  options: ExplainOptions = {},
): (decision: Decision) => Explanation {
  const preparation = prepareSnapshot(input.snapshot);
  if (!preparation.ok) {
    const language = options.language ?? pickLanguage(input.context.languages, 'en');
    const messages = messagesFor(language);
    return (decision) => errorExplanation(decision, language, messages);
  }
  const state = {
    prepared: preparation.prepared,
    profile: validateProfile(input.profile).profile,
    consent: validateConsent(input.consent).consent,
    context: input.context,
    decideSlots,
    landing: landingSentence,
  };
  return explainer(state, visibleProfile, options);
}

/**
 * The decision machinery an explainer re-runs for counterfactuals. The browser SDK's head holds
 * it already (for `decideVerified`), so its lazily loaded UI borrows the head's copy instead of
 * shipping a second one.
 */
export interface DecisionEngine {
  readonly prepare: (snapshot: Snapshot) => PreparedSnapshot;
  readonly decideSlots: typeof decideSlots;
  readonly visibleProfile: typeof visibleProfile;
  /** What a split-URL landing page says first (the head holds the marker check already). */
  readonly landing?: typeof landingSentence;
}

/** The engine `decideVerified` runs on: no validation, no ReDoS scan (the snapshot was signed). */
export const verifiedEngine: DecisionEngine = {
  prepare: prepareVerifiedSnapshot,
  decideSlots,
  visibleProfile,
  landing: landingSentence,
};

/** What `createVerifiedExplainer` reads: a signature-verified snapshot and state its caller parsed. */
export interface VerifiedExplainInput {
  readonly snapshot: Snapshot;
  readonly profile: Profile | undefined;
  readonly consent: ConsentState;
  readonly context: DecisionContext;
}

/**
 * `createExplainer` for decisions made by `decideVerified`, on an engine passed in: a bundle that
 * imports only this (and no engine) carries the explanation text but no decision machinery.
 *
 * @example const why = createVerifiedExplainer({ snapshot, profile, consent, context }, { language: 'en' }, verifiedEngine)
 */
export function createVerifiedExplainer(
  input: VerifiedExplainInput,
  options: ExplainOptions,
  engine: DecisionEngine,
): (decision: Decision) => Explanation {
  // Never throws, like `createExplainer`: state its caller got wrong yields the error explanation.
  const failed = (decision: Decision): Explanation => {
    const language = options.language ?? input.snapshot?.site?.defaultLanguage ?? 'en';
    return errorExplanation(decision, language, messagesFor(language));
  };
  try {
    const state = {
      ...input,
      prepared: engine.prepare(input.snapshot),
      decideSlots: engine.decideSlots,
      landing: engine.landing,
    };
    const explain = explainer(state, engine.visibleProfile, options);
    return (decision) => {
      try {
        return explain(decision);
      } catch {
        return failed(decision);
      }
    };
  } catch {
    return failed;
  }
}

function explainer(
  inputs: DecisionInputs,
  visibleOf: typeof visibleProfile,
  options: ExplainOptions,
): (decision: Decision) => Explanation {
  const { prepared, profile, consent } = inputs;
  const language = siteLanguage(inputs.context.languages, prepared.snapshot.site, options.language);
  const messages = messagesFor(language);
  const visible = visibleOf(prepared.snapshot, profile, consent, inputs.context);
  const shared: Shared = {
    prepared,
    language,
    messages,
    consent,
    inputs,
    visible,
    timeZone: options.timeZone ?? 'UTC',
    baseExcluded: baseExcluded(prepared, visible, consent.signals, language, messages),
    measured: measurementGranted(prepared.snapshot.purposes, (id) => visible.statuses.get(id)?.granted === true),
    anyGranted: [...visible.statuses.values()].some((status) => status.reason === 'granted'),
    explainedSignals: new Map(),
    site: { name: prepared.snapshot.site.name, privacyPageUrl: prepared.snapshot.site.privacyPageUrl ?? null },
  };
  return (decision) =>
    decision.reason === 'ERROR' ? errorExplanation(decision, language, messages) : explainDecision(decision, shared);
}

interface Shared {
  readonly prepared: PreparedSnapshot;
  readonly language: Language;
  readonly messages: ExplanationMessages;
  readonly consent: ConsentState;
  readonly inputs: DecisionInputs;
  readonly visible: VisibleProfile;
  readonly timeZone: string;
  /** What every decision of this page excludes alike: sensitive data, signals, ungranted purposes. */
  readonly baseExcluded: readonly { readonly code: ExcludedCode; readonly text: string }[];
  readonly measured: boolean;
  readonly anyGranted: boolean;
  /** A signal reads the same in every decision that used it: format its dates once. */
  readonly explainedSignals: Map<VisibleSignal, ExplainedSignal>;
  readonly site: Explanation['site'];
}

function explainDecision(decision: Decision, shared: Shared): Explanation {
  const { prepared, language, messages, consent, inputs, visible, timeZone } = shared;

  const signals = decision.signals.map((signal) => {
    let explained = shared.explainedSignals.get(signal);
    if (explained === undefined) {
      explained = explainSignal(signal, prepared, language, messages, timeZone);
      shared.explainedSignals.set(signal, explained);
    }
    return explained;
  });
  // Whatever the assignment, data that made the visitor eligible can be removed: re-decide to see
  // whether that changes what they see (a holdout's visitor sees the standard version either way).
  const flip = decision.signals.length > 0 ? findFlip(decision, inputs) : null;
  const main = flip?.signals.length === 1 ? signals.find((signal) => signal.key === flip.signals[0]?.key) : undefined;
  const off = decision.reason === 'PERSONALIZATION_OFF' ? offCause(decision, prepared, visible) : 'not_allowed';
  const counterfactual = counterfactualFor(decision, flip, prepared, language, messages, off);
  const purposes = purposesUsed(decision, prepared, language);
  const excluded = excludedFor(decision, shared);
  const controls = controlsFor(decision, shared);
  const site = prepared.snapshot.site;
  const firstPurpose = purposes[0];
  const policyVersion = consent.policyVersion ?? site.policyVersion;

  return {
    decisionId: decision.id,
    at: decision.at,
    slot: decision.slot,
    language,
    reason: decision.reason,
    kind: decision.kind,
    variant: decision.variant && { id: decision.variant.id, name: decision.variant.name },
    defaultAlternative: messages.standardVersion,
    site: shared.site,
    purposes,
    signals,
    mainSignal: main?.key ?? null,
    counterfactual,
    excluded,
    controls,
    consent: { recordId: consent.recordId ?? null, policyVersion },
    text: {
      title: messages.title,
      mainReason: withLanding(decision, mainReason(decision, main ?? signals[0], signals, shared, off), shared),
      mattered: main && signals.length > 1 ? messages.mattered({ label: main.label }) : null,
      decidedBy: firstPurpose
        ? messages.decidedBy({
            site: site.name,
            purpose: formatList(
              purposes.map((purpose) => purpose.name),
              language,
            ),
            basis: messages.legalBasis[firstPurpose.legalBasis],
          })
        : null,
      signals: signals.map((signal) => signal.text),
      counterfactual: counterfactual.text,
      excluded: excluded.map((item) => item.text),
      proof: consent.recordId ? messages.proof({ record: consent.recordId, policy: policyVersion }) : null,
    },
  };
}

function explainSignal(
  signal: VisibleSignal,
  prepared: PreparedSnapshot,
  language: Language,
  messages: ExplanationMessages,
  timeZone: string,
): ExplainedSignal {
  const purpose = prepared.purposes.get(signal.field.purpose);
  const label = signal.field.label[language];
  const value = formatValue(signal.field, signal.value, language, messages);
  const purposeName = purpose?.name[language] ?? signal.field.purpose;
  const when = signal.collectedAt === undefined ? null : formatDate(signal.collectedAt, language, timeZone);
  const until = signal.expiresAt === undefined ? null : formatDate(signal.expiresAt, language, timeZone);
  return {
    key: signal.key,
    label,
    value,
    rawValue: signal.value,
    source: signal.source,
    origin: 'this_site_only',
    collectedAt: signal.collectedAt ?? null,
    expiresAt: signal.expiresAt ?? null,
    purposeId: signal.field.purpose,
    purposeName,
    text: messages.signal({ label, value, source: signal.source, when, purpose: purposeName, until }),
  };
}

function mainReason(
  decision: Decision,
  main: ExplainedSignal | undefined,
  all: readonly ExplainedSignal[],
  shared: Shared,
  off: OffCause,
): string {
  const { messages, language } = shared;
  const reason = messages.reason;
  const experience = shared.prepared.snapshot.experiences.find((candidate) => candidate.id === decision.experienceId);
  const holdout = experience !== undefined && experience.holdout > 0;
  const small = experience !== undefined && experience.holdout <= SMALL_SHARE;
  const source = main && REASON_SOURCE[main.source];
  const because = main && source ? reason.because[source]({ facts: factsOf(main, all, language, messages) }) : null;
  const targeted = because !== null && source ? reason.targeted({ because, source }) : null;
  const matched = targeted !== null;
  switch (decision.reason) {
    case 'HOLDOUT':
      return reason.holdout({ because, small });
    case 'SPLIT': {
      const assignment =
        decision.allocation === 'bandit'
          ? reason.bandit({ holdout, matched, used: usedData(decision, shared) })
          : experience?.variants.length === 1
            ? reason.measured({ matched, small })
            : reason.split({ used: usedData(decision, shared), matched, holdout });
      return targeted === null ? assignment : messages.join([targeted, assignment]);
    }
    case 'PERSONALIZATION_OFF':
      return reason.off[off];
    case 'DEFAULT':
      return reason.none({ used: usedData(decision, shared) });
    case 'ERROR':
      return reason.error;
    case 'TARGETING_MATCH':
      return targeted ?? reason.everyone({ used: usedData(decision, shared) });
  }
}

/** On a split-URL test's landing page the visitor did not choose this address: say so first. */
function withLanding(decision: Decision, reason: string, shared: Shared): string {
  const sent = shared.inputs.landing?.(decision, shared.inputs.context, shared.language);
  return sent ? shared.messages.join([sent, reason]) : reason;
}

// Up to this share held out, "a small share" of visitors see the standard version.
const SMALL_SHARE = 0.25;

const REASON_SOURCE = {
  declared: 'declared',
  observed: 'behavioural',
  inferred: 'inferred',
  context: 'contextual',
} as const;

/**
 * Whether the decision read anything about the visitor, from its trace: an experience that got past
 * its schedule evaluated its audiences on the visible data, and one that got past its audience
 * counted the visitor's impressions when it has a frequency cap and the visitor a stored profile.
 */
function usedData(decision: Decision, shared: Shared): boolean {
  const candidates = shared.prepared.bySlot.get(decision.slot)?.candidates ?? [];
  const stored = shared.inputs.profile?.visitorId !== undefined;
  return decision.trace.some((entry) => {
    if (entry.step === 'schedule') return false;
    const candidate = candidates.find((item) => item.experience.id === entry.experienceId);
    if (candidate === undefined) return false;
    const capped = entry.step !== 'audience' && stored && candidate.interruptive && !!candidate.experience.frequencyCap;
    return (
      capped ||
      candidate.conditions.some((condition) => condition.paths.some((path) => readsVisible(path, shared.visible)))
    );
  });
}

function readsVisible(path: string, visible: VisibleProfile): boolean {
  if (visible.signals.has(path)) return true;
  for (const key of visible.signals.keys()) if (path.startsWith(`${key}.`)) return true;
  return false;
}

/** Every signal of the main signal's source as facts, main first: "your role is Developer and your team size is 80". */
function factsOf(
  main: ExplainedSignal,
  all: readonly ExplainedSignal[],
  language: Language,
  messages: ExplanationMessages,
): string {
  const same = [main, ...all.filter((signal) => signal !== main && signal.source === main.source)];
  const fact = main.source === 'declared' || main.source === 'inferred' ? messages.fact.told : messages.fact.seen;
  return formatList(
    same.map((signal) => fact(signal)),
    language,
  );
}

function counterfactualFor(
  decision: Decision,
  flip: ReturnType<typeof findFlip>,
  prepared: PreparedSnapshot,
  language: Language,
  messages: ExplanationMessages,
  off: OffCause,
): Counterfactual {
  const text = messages.counterfactual;
  const first = flip?.signals[0];
  if (flip && first) {
    const label = formatList(
      flip.signals.map((signal) => signal.field.label[language]),
      language,
    );
    const { alternative } = flip;
    const fields = flip.signals.map((signal) => signal.key);
    if (first.source === 'declared') {
      return { change: 'remove_answer', fields, alternative, text: text.removeAnswer({ label, alternative }) };
    }
    if (first.source === 'context')
      return { change: 'other_visit', fields, alternative, text: text.otherVisit({ label, alternative }) };
    return { change: 'delete_data', fields, alternative, text: text.deleteData({ label, alternative }) };
  }
  if (decision.reason === 'SPLIT') {
    const experience = prepared.snapshot.experiences.find((candidate) => candidate.id === decision.experienceId);
    const alternative = experience && experience.holdout > 0 ? 'standard' : 'other';
    return { change: 'other_group', alternative, text: text.otherGroup({ alternative }) };
  }
  if (decision.reason === 'HOLDOUT') return { change: 'leave_holdout', alternative: 'other', text: text.holdout };
  if (decision.reason === 'PERSONALIZATION_OFF' && off === 'not_allowed') {
    return { change: 'allow_personalization', alternative: 'other', text: text.allowPersonalization };
  }
  return { change: 'none', alternative: null, text: text.nothing };
}

function offCause(decision: Decision, prepared: PreparedSnapshot, visible: VisibleProfile): OffCause {
  const reasons = new Set<string>();
  for (const candidate of prepared.bySlot.get(decision.slot)?.candidates ?? []) {
    for (const purpose of candidate.purposesRead) reasons.add(visible.statuses.get(purpose)?.reason ?? 'pending');
  }
  if (reasons.has('objection')) return 'objection';
  if (reasons.has('gpc')) return 'gpc';
  if (reasons.has('dnt')) return 'dnt';
  return 'not_allowed';
}

function purposesUsed(decision: Decision, prepared: PreparedSnapshot, language: Language): Explanation['purposes'] {
  const ids = new Set(decision.signals.map((signal) => signal.field.purpose));
  if (decision.enrolled) {
    for (const purpose of prepared.snapshot.purposes) if (purpose.class === 'measurement') ids.add(purpose.id);
  }
  return [...ids]
    .map((id) => prepared.purposes.get(id))
    .filter((purpose): purpose is Purpose => purpose !== undefined)
    .map((purpose) => ({ id: purpose.id, name: purpose.name[language], legalBasis: purpose.legalBasis }));
}

function baseExcluded(
  prepared: PreparedSnapshot,
  visible: VisibleProfile,
  signals: { gpc?: unknown; dnt?: unknown },
  language: Language,
  messages: ExplanationMessages,
): Shared['baseExcluded'] {
  const out: { code: ExcludedCode; text: string }[] = [{ code: 'sensitive', text: messages.excluded.sensitive }];
  if (signals.gpc) out.push({ code: 'gpc', text: messages.excluded.gpc });
  else if (signals.dnt) out.push({ code: 'dnt', text: messages.excluded.dnt });
  const withheld = visible.withheldPurposes
    .map((id) => prepared.purposes.get(id)?.name[language])
    .filter((name): name is string => name !== undefined);
  if (withheld.length > 0) {
    out.push({ code: 'ungranted', text: messages.excluded.ungranted({ purposes: formatList(withheld, language) }) });
  }
  return out;
}

function excludedFor(decision: Decision, shared: Shared): Explanation['excluded'] {
  const out = [...shared.baseExcluded];
  if (decision.experienceId !== null && !decision.enrolled && !shared.measured) {
    out.push({ code: 'not_measured', text: shared.messages.excluded.notMeasured });
  }
  if (decision.signals.every((signal) => signal.field.origin === 'first_party')) {
    out.push({ code: 'no_other_sites', text: shared.messages.excluded.noOtherSites });
  }
  return out;
}

function controlsFor(decision: Decision, shared: Shared): Explanation['controls'] {
  const labels = shared.messages.controls;
  const controls: { action: ControlAction; label: string; field?: string }[] = [];
  for (const signal of decision.signals) {
    if (signal.source === 'declared')
      controls.push({ action: 'edit_answer', label: labels.edit_answer, field: signal.key });
  }
  if (decision.signals.some((signal) => signal.source !== 'context')) {
    controls.push({ action: 'stop_using', label: labels.stop_using });
  }
  if (decision.variant) controls.push({ action: 'see_standard', label: labels.see_standard });
  if (shared.anyGranted) controls.push({ action: 'withdraw_consent', label: labels.withdraw_consent });
  for (const action of ['see_all_data', 'download', 'delete'] as const)
    controls.push({ action, label: labels[action] });
  return controls;
}

function errorExplanation(decision: Decision, language: Language, messages: ExplanationMessages): Explanation {
  return {
    decisionId: decision.id,
    at: decision.at,
    slot: decision.slot,
    language,
    reason: decision.reason,
    kind: decision.kind,
    variant: null,
    defaultAlternative: messages.standardVersion,
    site: { name: '', privacyPageUrl: null },
    purposes: [],
    signals: [],
    mainSignal: null,
    counterfactual: { change: 'none', alternative: null, text: messages.counterfactual.nothing },
    excluded: [{ code: 'sensitive', text: messages.excluded.sensitive }],
    controls: (['see_all_data', 'download', 'delete'] as const).map((action) => ({
      action,
      label: messages.controls[action],
    })),
    consent: { recordId: null, policyVersion: null },
    text: {
      title: messages.title,
      mainReason: messages.reason.error,
      mattered: null,
      decidedBy: null,
      signals: [],
      counterfactual: messages.counterfactual.nothing,
      excluded: [messages.excluded.sensitive],
      proof: null,
    },
  };
}
