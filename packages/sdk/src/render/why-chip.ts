import type { Decision } from '@candor/core';

/**
 * Whether a slot's decision is worth a "Why?" chip: content that differs from the page's own always
 * is; default content only when the site explains defaults and, after the visitor's choice, the
 * decision involved them (a holdout, or data of theirs that was read). Before any choice a default
 * slot has nothing to explain, so it gets no chip.
 */
export function whyWanted(decision: Decision, explainDefaults: boolean, decided: boolean): boolean {
  if (decision.reason === 'ERROR') return false;
  if (decision.variant !== null) return true;
  return explainDefaults && decided && (decision.experienceId !== null || decision.signals.length > 0);
}

// A chip goes inside its slot, at the end of the slot's last line of text, so it reads as part of
// what it explains (a chip after a block lands at the start of the next block's line, beside
// whatever comes next). Interactive, void and list/table elements cannot hold a button, so there it
// follows the slot.
const OUTSIDE =
  /^(a|button|label|select|textarea|input|img|picture|video|audio|iframe|br|hr|svg|table|tbody|tr|ul|ol|dl)$/;

/** Puts a slot's chip next to it: after the slot's last text, or right after the slot where a button cannot go inside. */
export function placeChip(slot: Element, chip: Element): void {
  if (OUTSIDE.test(slot.localName) || slot.closest('a,button,label')) {
    if (slot.nextSibling !== chip) slot.after(chip);
    return;
  }
  // Into a block that ends the slot's content (nothing but blanks or the chip after it).
  let target = slot;
  for (
    let last = target.lastElementChild;
    last && /^(p|h\d|div|li|blockquote)$/.test(last.localName) && !last.nextSibling?.textContent?.trim();
    last = target.lastElementChild
  )
    target = last;
  if (target.lastChild !== chip) target.append(chip);
}
