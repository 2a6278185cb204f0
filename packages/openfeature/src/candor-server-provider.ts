import type { Decision } from '@candor/core';
import type { CandorClient } from '@candor/node';
import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
  StandardResolutionReasons,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import { resolveDecision } from './resolution.js';
import { contextRequest, type ContextRequest } from './server-context.js';

/** The part of an @candor/node client the provider uses. */
export type CandorClientForOpenFeature = Pick<
  CandorClient,
  'ready' | 'decide' | 'explain' | 'record' | 'flush' | 'snapshot' | 'subscribe'
>;

/** What a flag key names in the snapshot: one slot, or an experience and the slots it fills. */
type FlagTarget =
  | { readonly kind: 'slot'; readonly slot: string }
  | { readonly kind: 'experience'; readonly experience: string; readonly slots: readonly string[] };

/** A flag's decision: the slot's, or for an experience key the first slot that experience decided. */
interface FlagDecision {
  readonly decision: Decision | undefined;
  /** Slot → content the experience's variant gives (object evaluations of an experience key). */
  readonly contents: Readonly<Record<string, JsonValue>>;
  readonly otherExperience: boolean;
}

/**
 * An OpenFeature server provider over @candor/node: a flag key is a slot or an experience id, its
 * value the variant the request's visitor sees (its key as a string, its content as an object,
 * "sees a variant" as a boolean), its metadata the visitor-facing explanation. The visitor's consent
 * and profile come from Candor's cookie in the evaluation context (`cookie`), never from other keys.
 *
 * @example await OpenFeature.setProviderAndWait(new CandorServerProvider(createCandorClient(options)))
 */
export class CandorServerProvider implements Provider {
  readonly metadata = { name: 'candor' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private unsubscribe: (() => void) | undefined;
  /** Outcomes still being decided: closing waits for them so none is lost. */
  private readonly tracking = new Set<Promise<void>>();

  constructor(private readonly candor: CandorClientForOpenFeature) {}

  /** Waits for the first verified snapshot; each newer one is announced as a configuration change. */
  async initialize(): Promise<void> {
    let verified = false;
    let starting = true;
    this.unsubscribe = this.candor.subscribe((status) => {
      // The first load is initialize's own answer, not a change.
      if (starting) return;
      // The first snapshot after a failed start (server unreachable, no cache) makes the provider ready.
      if (!verified && status.version !== null) {
        verified = true;
        this.events.emit(ProviderEvents.Ready, {});
        return;
      }
      this.events.emit(ProviderEvents.ConfigurationChanged, {
        message: `Candor snapshot version ${status.version ?? 'none'}`,
        ...(status.version === null ? {} : { metadata: { snapshotVersion: status.version } }),
      });
    });
    const status = await this.candor.ready();
    starting = false;
    verified = status.version !== null;
    // Until a snapshot is verified every flag would be default content: say so (PROVIDER_NOT_READY).
    if (status.version === null) throw new Error('no verified Candor snapshot yet (server unreachable, no cache)');
  }

  /** Stops listening and sends the recorded aggregates. */
  async onClose(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await Promise.all(this.tracking);
    await this.candor.flush();
  }

  /** The key of the variant the visitor sees; your default for the page's default content. */
  async resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, defaultValue, context, (found) => found.decision?.variant?.id ?? defaultValue);
  }

  /** Whether the visitor sees a variant (true) or the page's default content (false). */
  async resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, defaultValue, context, (found) => found.decision?.variant != null);
  }

  /** Variants are not numbers: TYPE_MISMATCH with your default. */
  resolveNumberEvaluation(_flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve({
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: 'a Candor flag is a variant: evaluate it as a string (key), object (content) or boolean',
    });
  }

  /** The variant's content (a slot key), or slot → content (an experience key); your default otherwise. */
  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, defaultValue, context, (found) => {
      if (found.decision?.variant == null) return defaultValue;
      return (this.target(flagKey)?.kind === 'experience' ? found.contents : found.decision.variant.content) as T;
    });
  }

  /**
   * Counts this visitor's outcome on a goal metric (`trackingEventName`, value `details.value`, 1 when
   * absent) in each experience they are enrolled in, as an aggregate; nothing without measurement
   * consent. Call it once per visitor and metric (value 0 for no conversion): n counts visitors.
   */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const read = contextRequest(context);
    const value = details.value ?? 1;
    const recording = this.candor
      .decide(read.request, { attributes: read.attributes })
      .then(({ decisions, visitor }) => {
        const counted = new Set<string>();
        for (const decision of decisions) {
          if (decision.experienceId === null || counted.has(decision.experienceId)) continue;
          counted.add(decision.experienceId);
          this.candor.record({ decision, consent: visitor.consent, values: { [trackingEventName]: value } });
        }
      })
      .finally(() => this.tracking.delete(recording));
    this.tracking.add(recording);
  }

  private target(flagKey: string): FlagTarget | undefined {
    const snapshot = this.candor.snapshot();
    if (snapshot === undefined) return undefined;
    const experience = snapshot.experiences.find((candidate) => candidate.id === flagKey);
    if (experience !== undefined) {
      const slots = [...new Set(experience.variants.flatMap((variant) => Object.keys(variant.content)))];
      return { kind: 'experience', experience: experience.id, slots };
    }
    const isSlot = snapshot.experiences.some((candidate) =>
      candidate.variants.some((variant) => Object.hasOwn(variant.content, flagKey)),
    );
    return isSlot ? { kind: 'slot', slot: flagKey } : undefined;
  }

  private async decideFlag(target: FlagTarget, read: ContextRequest): Promise<FlagDecision> {
    const slots = target.kind === 'slot' ? [target.slot] : target.slots;
    const { decisions } = await this.candor.decide(read.request, { slots, attributes: read.attributes });
    if (target.kind === 'slot') return { decision: decisions[0], contents: {}, otherExperience: false };
    const own = decisions.filter((decision) => decision.experienceId === target.experience);
    const contents = Object.fromEntries(
      own.flatMap((decision) => (decision.variant === null ? [] : [[decision.slot, decision.variant.content]])),
    ) as Record<string, JsonValue>;
    const decision = own[0] ?? decisions[0];
    const otherExperience = decision?.experienceId != null && decision.experienceId !== target.experience;
    return { decision, contents, otherExperience };
  }

  private async resolve<T>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    valueOf: (found: FlagDecision) => T,
  ): Promise<ResolutionDetails<T>> {
    const target = this.target(flagKey);
    if (target === undefined) return { ...resolveDecision(undefined, '', undefined), value: defaultValue };
    const read = contextRequest(context);
    const found = await this.decideFlag(target, read);
    if (found.otherExperience) {
      // The slot went to another experience: this one shows the visitor its default content.
      return { value: defaultValue, reason: StandardResolutionReasons.DEFAULT, flagMetadata: { enrolled: false } };
    }
    const explanation =
      found.decision === undefined
        ? undefined
        : await this.candor.explain(read.request, found.decision.slot, {
            attributes: read.attributes,
            ...(read.language === undefined ? {} : { language: read.language }),
          });
    const text = explanation === undefined ? undefined : `${explanation.text.title} ${explanation.text.mainReason}`;
    const resolved = resolveDecision(found.decision, '', text);
    if (resolved.errorCode !== undefined) return { ...resolved, value: defaultValue };
    return { ...resolved, value: valueOf(found) };
  }
}
