// Shows each change on the page as the marketer makes it, and takes it back on undo. What reaches
// the page goes through the SDK's own sanitiser, so the editor shows exactly what visitors would get.
import { sanitizeHtml } from '../render/sanitize.js';
import type { PageChangeInput } from './editor-api.js';

/** A change on the page that can be taken back and made again. */
export interface LiveChange {
  readonly change: PageChangeInput;
  readonly apply: () => void;
  readonly revert: () => void;
}

/** The HTML the SDK keeps of `html`: what the editor stores, so what is saved is what renders. */
export function sanitizedHtml(doc: Document, html: string): string {
  const box = doc.createElement('div');
  box.appendChild(sanitizeHtml(doc, html));
  return box.innerHTML;
}

function restoreChildren(element: Element): () => void {
  const before = Array.from(element.childNodes);
  return () => element.replaceChildren(...before);
}

function restoreAttribute(element: Element, name: string): () => void {
  const before = element.getAttribute(name);
  return () => (before === null ? element.removeAttribute(name) : element.setAttribute(name, before));
}

/**
 * Makes a live change for `change` on `element`; `language` picks which text the page shows while
 * editing (the change keeps every language). `target` is the element a move goes next to.
 */
export function liveChange(element: Element, change: PageChangeInput, language: string, target?: Element): LiveChange {
  const doc = element.ownerDocument;
  const localized = (value: unknown): string => String((value as Record<string, string>)[language] ?? '');
  switch (change.op) {
    case 'text': {
      const revert = restoreChildren(element);
      return { change, apply: () => (element.textContent = localized(change['text'])), revert };
    }
    case 'html': {
      const revert = restoreChildren(element);
      return {
        change,
        apply: () => element.replaceChildren(sanitizeHtml(doc, localized(change['html']))),
        revert,
      };
    }
    case 'attribute': {
      const name = String(change['name']);
      return {
        change,
        apply: () => element.setAttribute(name, String(change['value'])),
        revert: restoreAttribute(element, name),
      };
    }
    case 'hide': {
      const revert = restoreAttribute(element, 'hidden');
      return { change, apply: () => element.setAttribute('hidden', ''), revert };
    }
    case 'insert': {
      let inserted: Node[] = [];
      return {
        change,
        apply: () => {
          const fragment = sanitizeHtml(doc, localized(change['html']));
          inserted = Array.from(fragment.childNodes);
          if (change['position'] === 'before') element.before(fragment);
          else element.after(fragment);
        },
        revert: () => inserted.forEach((node) => node.parentNode?.removeChild(node)),
      };
    }
    case 'move': {
      const parent = element.parentNode;
      const next = element.nextSibling;
      return {
        change,
        apply: () => (change['position'] === 'before' ? target?.before(element) : target?.after(element)),
        revert: () => parent?.insertBefore(element, next),
      };
    }
    default: {
      const revertSrc = restoreAttribute(element, 'src');
      const revertAlt = restoreAttribute(element, 'alt');
      return {
        change,
        apply: () => {
          element.setAttribute('src', String(change['src']));
          if (change['alt'] !== undefined) element.setAttribute('alt', localized(change['alt']));
        },
        revert: () => {
          revertSrc();
          revertAlt();
        },
      };
    }
  }
}

/** Undo and redo over live changes: a new change clears what could be redone. */
export interface ChangeHistory {
  readonly done: readonly LiveChange[];
  push(change: LiveChange): void;
  undo(): boolean;
  redo(): boolean;
}

/** Creates an empty history. */
export function changeHistory(): ChangeHistory {
  const done: LiveChange[] = [];
  const undone: LiveChange[] = [];
  return {
    done,
    push(change) {
      change.apply();
      done.push(change);
      undone.length = 0;
    },
    undo() {
      const last = done.pop();
      if (!last) return false;
      last.revert();
      undone.push(last);
      return true;
    },
    redo() {
      const next = undone.pop();
      if (!next) return false;
      next.apply();
      done.push(next);
      return true;
    },
  };
}
