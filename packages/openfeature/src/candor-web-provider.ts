import type { Candor } from '@candor/sdk';
import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/web-sdk';
import { resolveDecision, typeMismatch } from './resolution.js';

/** The part of a running Candor browser SDK the provider uses. */
export type CandorForOpenFeature = Pick<Candor, 'decide' | 'explain' | 'expose' | 'on' | 'track' | 'ready'>;

/** How the provider measures. */
export interface CandorWebProviderOptions {
  /**
   * Counts an evaluation of an experiment's slot as the visitor's exposure (default true), as
   * OpenFeature apps expect: the value was asked for to be shown. Turn it off when some evaluations
   * are not shown, and hand Candor the element that shows the value instead,
   * `candor.expose(slot, element)`: it is counted once half of it is on screen.
   */
  readonly exposeOnEvaluation?: boolean;
}

/**
 * An OpenFeature web provider over Candor's browser SDK: a flag key is a slot, its value the variant
 * key the visitor sees, its metadata the visitor-facing explanation. Decisions stay Candor's (the
 * device's consent and profile, never the evaluation context), so changing the context changes
 * nothing; consent changes and new decisions are announced as configuration changes.
 *
 * @example await OpenFeature.setProviderAndWait(new CandorWebProvider(window.candor))
 */
export class CandorWebProvider implements Provider {
  readonly metadata = { name: 'candor' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();
  private readonly explanations = new Map<string, string>();
  private readonly pending = new Set<string>();
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly candor: CandorForOpenFeature,
    private readonly options: CandorWebProviderOptions = {},
  ) {}

  /** Waits for Candor's snapshot, then listens for decisions and consent changes. */
  async initialize(): Promise<void> {
    await this.candor.ready;
    this.unsubscribe = [
      this.candor.on('decision', (decision) => {
        // A new decision makes the explanation of the old one stale.
        this.explanations.delete(decision.slot);
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [decision.slot] });
      }),
      this.candor.on('consent', () => {
        this.explanations.clear();
        this.events.emit(ProviderEvents.ConfigurationChanged, {});
      }),
    ];
  }

  /** Stops listening to Candor. */
  onClose(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
    return Promise.resolve();
  }

  /** The variant key of the slot's current decision; an enrolled one is counted as exposed. */
  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    const decision = this.candor.decide(flagKey);
    // A conversion counts only for an experience the device recorded as seen, and an app rendering
    // from this value has no slot element for Candor to watch. Candor counts only while measurement
    // is granted, and an experience once per device, however often the flag is evaluated.
    if (decision?.enrolled === true && decision.experienceId !== null && this.options.exposeOnEvaluation !== false)
      this.candor.expose(flagKey);
    const explanation = this.explanations.get(flagKey);
    if (decision !== undefined && explanation === undefined) this.loadExplanation(flagKey);
    return resolveDecision(decision, defaultValue, explanation);
  }

  /** Variant keys are strings: any other type is a mismatch, answered with the default. */
  resolveBooleanEvaluation(_flagKey: string, defaultValue: boolean): ResolutionDetails<boolean> {
    return typeMismatch(defaultValue);
  }

  /** Variant keys are strings: any other type is a mismatch, answered with the default. */
  resolveNumberEvaluation(_flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return typeMismatch(defaultValue);
  }

  /** Variant keys are strings: any other type is a mismatch, answered with the default. */
  resolveObjectEvaluation<T extends JsonValue>(_flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return typeMismatch(defaultValue);
  }

  /**
   * A tracked event is a Candor conversion: aggregate only, only while measurement is granted, and
   * only for experiments the visitor was exposed to (see `exposeOnEvaluation`).
   */
  track(trackingEventName: string, _context: EvaluationContext, details: TrackingEventDetails): void {
    this.candor.track(trackingEventName, details.value);
  }

  // Evaluation is synchronous in the browser but an explanation loads with Candor's UI chunk: the
  // first evaluation starts it, and its arrival is announced so hooks and UIs can read it.
  private loadExplanation(slot: string): void {
    if (this.pending.has(slot)) return;
    this.pending.add(slot);
    this.candor.explain(slot).then(
      (explanation) => {
        this.pending.delete(slot);
        if (explanation === undefined) return;
        this.explanations.set(slot, `${explanation.text.title} ${explanation.text.mainReason}`);
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [slot] });
      },
      () => this.pending.delete(slot),
    );
  }
}
