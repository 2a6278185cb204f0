import { createVerifiedExplainer, type Explanation } from '@candor/core';
import type { UiHost } from '../ui-contract.js';

/** The core's explanation of a slot's current decision, in the visitor's language and time zone. */
export function explainSlot(host: UiHost, slot: string): Explanation | undefined {
  const decision = host.decision(slot);
  const input = host.explainInput();
  if (!decision || !input) return undefined;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return createVerifiedExplainer(input, { language: host.language(), timeZone }, host.engine)(decision);
}
