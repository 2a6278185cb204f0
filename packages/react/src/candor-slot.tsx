'use client';
import { createElement, type JSX, type ReactNode } from 'react';
import { useCandorContext } from './candor-context.js';
import { useDecision, useExposure, type SlotDecision } from './hooks.js';
import { renderedContent } from './slot-content.js';

/** The attribute that marks a slot React renders (never `data-candor-slot`: the SDK writes into those). */
export const REACT_SLOT_ATTRIBUTE = 'data-candor-react-slot';

/** Props of `<CandorSlot>`. */
export interface CandorSlotProps {
  readonly slot: string;
  /** The page's default content: shown when no variant applies, and for content this slot cannot render. */
  readonly fallback?: ReactNode;
  /** The element that wraps the slot (default `div`); it stays the same node whatever is decided. */
  readonly as?: keyof JSX.IntrinsicElements;
  readonly className?: string;
  /** Renders a variant yourself (by `variant.id`, say); called only when a variant applies. */
  readonly children?: (
    decision: SlotDecision & { readonly variant: NonNullable<SlotDecision['variant']> },
  ) => ReactNode;
}

/**
 * Renders a slot's decided content inside one stable wrapper element: the variant's text (or
 * sanitised HTML, or extra class), else the fallback. Its exposure is measured like an SDK slot's.
 *
 * @example <CandorSlot slot="hero" as="h1" fallback="Welcome" />
 */
export function CandorSlot(props: CandorSlotProps): ReactNode {
  const { language, sanitizeHtml } = useCandorContext();
  const decided = useDecision(props.slot);
  // The SDK never writes into this element; it only measures when the slot is seen.
  const measured = useExposure(props.slot);
  const variant = decided?.variant ?? null;
  const tag = props.as ?? 'div';
  const base = {
    ref: measured,
    [REACT_SLOT_ATTRIBUTE]: props.slot,
    'data-candor-variant': variant?.id,
    className: props.className,
  };
  if (decided && variant && props.children) return createElement(tag, base, props.children({ ...decided, variant }));
  const shown = renderedContent(variant?.content, language, sanitizeHtml);
  switch (shown.kind) {
    case 'text':
      return createElement(tag, base, shown.text);
    case 'html':
      return createElement(tag, { ...base, dangerouslySetInnerHTML: { __html: shown.html } });
    case 'class':
      return createElement(
        tag,
        { ...base, className: [props.className, shown.className].filter(Boolean).join(' ') },
        props.fallback,
      );
    case 'fallback':
      return createElement(tag, { ...base, 'data-candor-variant': undefined }, props.fallback);
  }
}
