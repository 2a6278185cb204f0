import type { Language, PageChange } from '@candor/core';
import { safeAttribute, safeUrl, sanitizeHtml } from './sanitize.js';

/**
 * How often one change may be put back after the page's own scripts undid it, and how often all of
 * a page's changes may be together, before Candor leaves the page as its framework wants it.
 */
export const PAGE_CHANGE_BUDGET = { perChange: 50, perPage: 200 } as const;

/** Changes applied to a page: `undo` puts back exactly what was there and stops re-applying. */
export interface AppliedChanges {
  readonly undo: () => void;
}

/** What Candor did to one element, so that it can be undone. */
type Undo = () => void;

interface ChangeState {
  readonly change: PageChange;
  /** Elements this change holds, with how to undo it on each. */
  readonly held: Map<Element, Undo>;
  reapplied: number;
  gaveUp: boolean;
  /** The sanitised HTML an html change leaves in an element, worked out on first comparison. */
  html: string | undefined;
}

/**
 * Applies selector-addressed changes (sanitised exactly as slot HTML; text set as text; event
 * handler attributes and unsafe URLs refused) and keeps them applied while a framework re-renders,
 * within `PAGE_CHANGE_BUDGET`; past it, `onGiveUp` is told and the page is left to its scripts.
 * Called from a mutation callback or before the parser has finished, it changes elements before
 * they are first painted.
 *
 * `why`, an SDK-owned element holding the decision's "Why?" chip (marked `data-candor-page-why`, so no
 * change's selector picks it), is kept right after the first element the changes hold, put back
 * when the page moves or drops it, and removed by `undo` with the changes.
 *
 * @example const applied = applyPageChanges(document, changes, 'en', (change) => log(change), chip); applied.undo()
 */
export function applyPageChanges(
  doc: Document,
  changes: readonly PageChange[],
  language: Language,
  onGiveUp: (change: PageChange) => void,
  why?: Element,
): AppliedChanges {
  const states: ChangeState[] = changes
    .filter(applicable)
    .map((change) => ({ change, held: new Map(), reapplied: 0, gaveUp: false, html: undefined }));
  let total = 0;
  let stopped = false;
  const ensure = (): void => {
    for (const state of states) {
      if (state.gaveUp) continue;
      const settled = state.held.size > 0 || state.reapplied > 0;
      for (const element of select(doc, state.change.selector)) {
        const held = state.held.get(element);
        if (held !== undefined && holds(state, element, language)) continue;
        // Applied once already: this is the page undoing it (or rendering a fresh copy of it).
        if (settled) {
          state.reapplied += 1;
          total += 1;
          if (state.reapplied > PAGE_CHANGE_BUDGET.perChange || total > PAGE_CHANGE_BUDGET.perPage) {
            state.gaveUp = true;
            onGiveUp(state.change);
            break;
          }
        }
        // An insert undone by the page may have left its wrapper elsewhere; every other change
        // re-applies over what the page put there, which is what an undo must then restore.
        if (held !== undefined && state.change.op === 'insert') held();
        const undo = apply(doc, state.change, element, language);
        if (undo !== undefined) state.held.set(element, undo);
      }
      // Elements the page removed are no longer Candor's to restore.
      for (const element of state.held.keys()) if (!element.isConnected) state.held.delete(element);
    }
    if (why) {
      const anchor = whyAnchor(states, why);
      if (!anchor) why.remove();
      else if (anchor.nextSibling !== why) anchor.after(why);
    }
    // Candor's own writes are not the page's: drop them before they call back (the loop guard).
    observer.takeRecords();
  };
  const observer = new MutationObserver(() => {
    if (!stopped) ensure();
  });
  ensure();
  observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
  return {
    undo: () => {
      stopped = true;
      observer.disconnect();
      // Reverse order: a later change may sit on an earlier one (an insert next to a moved element).
      for (const state of [...states].reverse()) {
        for (const undo of state.held.values()) undo();
        state.held.clear();
      }
      why?.remove();
    },
  };
}

/**
 * Where the "Why?" goes: after the first element a change holds, past the content Candor inserted
 * there and after a moved element's target when it was moved before it, so no change's own check
 * (what sits next to what) is disturbed; outside a link, which cannot hold a button; inside `<body>`.
 */
function whyAnchor(states: readonly ChangeState[], why: Element): Element | undefined {
  for (const { change, held } of states)
    for (let anchor of held.keys()) {
      if (change.op === 'move' && change.position === 'before')
        anchor = targetOf(anchor.ownerDocument, change.target, anchor) ?? anchor;
      anchor = anchor.closest('a,button,label') ?? anchor;
      // A button cannot follow `<html>`, and one beside `<body>` or in `<head>` is not beside the change.
      if (!anchor.parentElement?.closest('body')) continue;
      for (let next = anchor.nextSibling; next instanceof Element && next !== why; next = anchor.nextSibling) {
        if (!next.hasAttribute('data-candor-inserted')) break;
        anchor = next;
      }
      return anchor;
    }
  return undefined;
}

function select(doc: Document, selector: string): Element[] {
  try {
    return Array.from(doc.querySelectorAll(selector)).filter(
      (element) => !element.closest('[data-candor-inserted],[data-candor-page-why]'),
    );
  } catch {
    return []; // A selector the browser cannot parse selects nothing.
  }
}

/** Refused changes never apply, so they are never re-applied either. */
function applicable(change: PageChange): boolean {
  if (change.op === 'attribute') return safeAttribute(change.name, change.value);
  if (change.op === 'image') return safeUrl(change.src);
  return true;
}

/** Whether a change Candor applied to `element` is still in place. */
function holds(state: ChangeState, element: Element, language: Language): boolean {
  const { change } = state;
  switch (change.op) {
    case 'text':
      return element.textContent === change.text[language];
    case 'html':
      state.html ??= htmlOf(element, change.html[language]);
      return element.innerHTML === state.html;
    case 'attribute':
      return element.getAttribute(change.name) === change.value;
    case 'hide':
      return (element as HTMLElement).style.getPropertyValue('display') === 'none';
    case 'insert': {
      const sibling = change.position === 'before' ? element.previousSibling : element.nextSibling;
      return sibling instanceof Element && sibling.hasAttribute('data-candor-inserted');
    }
    case 'move': {
      const target = targetOf(element.ownerDocument, change.target, element);
      if (target === undefined) return true;
      return (change.position === 'before' ? target.previousElementSibling : target.nextElementSibling) === element;
    }
    case 'image':
      return element.getAttribute('src') === change.src;
  }
}

/** The HTML a sanitised change produces, to compare with what an element holds now. */
function htmlOf(element: Element, html: string): string {
  const probe = element.ownerDocument.createElement('div');
  probe.appendChild(sanitizeHtml(element.ownerDocument, html));
  return probe.innerHTML;
}

/** Applies one change to one element and returns how to undo it (undefined: nothing was done). */
function apply(doc: Document, change: PageChange, element: Element, language: Language): Undo | undefined {
  switch (change.op) {
    case 'text':
    case 'html': {
      const before = Array.from(element.childNodes);
      if (change.op === 'text') element.textContent = change.text[language];
      else element.replaceChildren(sanitizeHtml(doc, change.html[language]));
      return () => element.replaceChildren(...before);
    }
    case 'attribute':
      if (!safeAttribute(change.name, change.value)) return undefined;
      return setAttributes(element, { [change.name]: change.value });
    case 'image':
      if (!safeUrl(change.src)) return undefined;
      return setAttributes(element, {
        src: change.src,
        srcset: null,
        ...(change.alt === undefined ? {} : { alt: change.alt[language] }),
      });
    case 'hide': {
      const style = (element as HTMLElement).style;
      const value = style.getPropertyValue('display');
      const priority = style.getPropertyPriority('display');
      style.setProperty('display', 'none', 'important');
      return () => {
        if (value === '') style.removeProperty('display');
        else style.setProperty('display', value, priority);
      };
    }
    case 'insert': {
      // A wrapper marks Candor's content so a selector never picks it and the undo finds it.
      const wrapper = doc.createElement(element.localName === 'li' ? 'li' : 'div');
      wrapper.setAttribute('data-candor-inserted', '');
      wrapper.appendChild(sanitizeHtml(doc, change.html[language]));
      element.insertAdjacentElement(change.position === 'before' ? 'beforebegin' : 'afterend', wrapper);
      return () => wrapper.remove();
    }
    case 'move': {
      const target = targetOf(doc, change.target, element);
      if (target === undefined) return undefined;
      const parent = element.parentNode;
      const next = element.nextSibling;
      target.insertAdjacentElement(change.position === 'before' ? 'beforebegin' : 'afterend', element);
      return () => {
        if (parent === null) return;
        if (next !== null && next.parentNode === parent) parent.insertBefore(element, next);
        else parent.appendChild(element);
      };
    }
  }
}

function targetOf(doc: Document, selector: string, moved: Element): Element | undefined {
  try {
    const target = doc.querySelector(selector);
    return target === null || target === moved || moved.contains(target) ? undefined : target;
  } catch {
    return undefined;
  }
}

function setAttributes(element: Element, values: Readonly<Record<string, string | null>>): Undo {
  const before = Object.keys(values).map((name) => [name, element.getAttribute(name)] as const);
  for (const [name, value] of Object.entries(values)) {
    if (value === null) element.removeAttribute(name);
    else element.setAttribute(name, value);
  }
  return () => {
    for (const [name, value] of before) {
      if (value === null) element.removeAttribute(name);
      else element.setAttribute(name, value);
    }
  };
}
