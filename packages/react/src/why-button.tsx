'use client';
import type { ReactNode } from 'react';
import { useCandorContext } from './candor-context.js';
import { WHY_TEXT } from './why-strings.js';

/** Props of `<WhyButton>`. */
export interface WhyButtonProps {
  readonly slot: string;
  readonly className?: string;
  /** The button's visible text; "Why?" / "為什麼？" by default. */
  readonly children?: ReactNode;
}

/**
 * A button that opens Candor's "Why am I seeing this?" dialog for a slot, loading the visitor UI
 * lazily on the first click. Rendered only where the slot has a decision to explain.
 *
 * @example <CandorSlot slot="hero" as="h1" fallback="Welcome" /><WhyButton slot="hero" />
 */
export function WhyButton(props: WhyButtonProps): ReactNode {
  const { decisions, language, candor } = useCandorContext();
  if (!decisions.has(props.slot)) return null;
  const text = WHY_TEXT[language];
  return (
    <button
      type="button"
      className={props.className ?? 'candor-react-why'}
      aria-haspopup="dialog"
      aria-label={text.description}
      title={text.description}
      data-candor-react-why={props.slot}
      onClick={(event) => void candor?.why(props.slot, event.currentTarget)}
    >
      {props.children ?? text.label}
    </button>
  );
}
