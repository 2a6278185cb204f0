import type { Decision, Language } from '@candor/core';
import { safeAttribute, sanitizeHtml } from './sanitize.js';

/** The attribute that names a slot: `<h1 data-candor-slot="hero">Default</h1>`. */
export const SLOT_ATTRIBUTE = 'data-candor-slot';
/** Set on a slot once Candor has decided it (`variant`, `default` or `error`). */
export const STATE_ATTRIBUTE = 'data-candor-state';

interface Original {
  readonly nodes: Node[];
  readonly attributes: Map<string, string | null>;
  readonly classes: string[];
}

const originals = new WeakMap<Element, Original>();

/**
 * Puts a decision's content into a slot element, remembering the page's default content the first
 * time so "See the standard version" and a withdrawal can restore it exactly.
 */
export function renderSlot(element: Element, decision: Decision | undefined, language: Language): void {
  restoreSlot(element);
  const content = decision?.variant?.content;
  if (content) {
    // The slot's "Why?" chip may sit inside it: it is Candor's, not the page's default content.
    const copy = element.cloneNode(true) as Element;
    for (const chip of copy.querySelectorAll('.candor-why')) chip.remove();
    const original: Original = {
      nodes: Array.from(copy.childNodes),
      attributes: new Map(),
      classes: [],
    };
    originals.set(element, original);
    const doc = element.ownerDocument;
    switch (content.type) {
      case 'text':
        element.textContent = content.text[language];
        break;
      case 'html':
        element.replaceChildren(sanitizeHtml(doc, content.html[language]));
        break;
      case 'attributes':
        for (const [name, value] of Object.entries(content.attributes)) {
          if (!safeAttribute(name, value)) continue;
          original.attributes.set(name, element.getAttribute(name));
          element.setAttribute(name, value);
        }
        break;
      case 'class':
        for (const name of content.className.split(/\s+/).filter(Boolean)) {
          if (element.classList.contains(name)) continue;
          original.classes.push(name);
          element.classList.add(name);
        }
        break;
    }
  }
  element.setAttribute(
    STATE_ATTRIBUTE,
    decision?.reason === 'ERROR' || !decision ? 'default' : content ? 'variant' : 'default',
  );
}

/** Puts back the page's own default content. */
export function restoreSlot(element: Element): void {
  const original = originals.get(element);
  if (!original) return;
  originals.delete(element);
  element.replaceChildren(...original.nodes.map((node) => node.cloneNode(true)));
  for (const [name, value] of original.attributes) {
    if (value === null) element.removeAttribute(name);
    else element.setAttribute(name, value);
  }
  for (const name of original.classes) element.classList.remove(name);
}

/** Every slot element on the page, by slot name. */
export function findSlots(root: ParentNode): Element[] {
  return Array.from(root.querySelectorAll(`[${SLOT_ATTRIBUTE}]`));
}
