// Proposes the CSS selector a page change is stored under. A selector outlives the page it was made
// on only if it names something the site's developers chose (an id, a data-* attribute); position
// in the tree (`:nth-of-type`) breaks when the page is edited, so the editor warns about it.

/** A proposed selector, how many elements it matches today, and whether it is likely to break. */
export interface SelectorProposal {
  readonly selector: string;
  readonly matches: number;
  /** True when it relies on position in the tree or does not match exactly one element. */
  readonly fragile: boolean;
}

// Generated ids and values (React's `:r1:`, `ember123`, hashes) change between builds.
const STABLE_TOKEN = /^[A-Za-z][\w-]{0,63}$/;
const GENERATED = /\d{3,}|[a-f0-9]{8,}/i;
const ANCHOR_ATTRIBUTES = ['name', 'aria-label', 'role'];

function stable(value: string): boolean {
  return STABLE_TOKEN.test(value) && !GENERATED.test(value);
}

function escapeIdent(value: string): string {
  return typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(value) : value.replace(/[^\w-]/g, (c) => `\\${c}`);
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function count(root: ParentNode, selector: string): number {
  try {
    return root.querySelectorAll(selector).length;
  } catch {
    return 0;
  }
}

/** Selectors that name the element by something its authors chose, best first. */
function ownNames(element: Element): string[] {
  const tag = element.localName;
  const names: string[] = [];
  if (element.id && stable(element.id)) names.push(`#${escapeIdent(element.id)}`);
  for (const attribute of Array.from(element.attributes)) {
    if (!attribute.name.startsWith('data-') || attribute.value.length > 80) continue;
    names.push(
      attribute.value === '' ? `${tag}[${attribute.name}]` : `${tag}[${attribute.name}=${quoted(attribute.value)}]`,
    );
  }
  for (const name of ANCHOR_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (value && value.length <= 80) names.push(`${tag}[${name}=${quoted(value)}]`);
  }
  return names;
}

/** The element's step in a structural path: its tag, with its position among same-tag siblings when needed. */
function structuralStep(element: Element): string {
  const tag = element.localName;
  const parent = element.parentElement;
  if (!parent) return tag;
  const sameTag = Array.from(parent.children).filter((child) => child.localName === tag);
  return sameTag.length === 1 ? tag : `${tag}:nth-of-type(${sameTag.indexOf(element) + 1})`;
}

/**
 * Proposes a selector for `element`: its own id or data-* attribute when unique, else a path of
 * child steps up to the nearest ancestor with a unique name (or the document's root).
 */
export function proposeSelector(element: Element): SelectorProposal {
  const doc = element.ownerDocument;
  for (const name of ownNames(element)) {
    if (count(doc, name) === 1) return { selector: name, matches: 1, fragile: false };
  }
  const steps: string[] = [];
  let current: Element | null = element;
  while (current && current !== doc.documentElement) {
    const anchor = current === element ? undefined : ownNames(current).find((name) => count(doc, name) === 1);
    if (anchor) {
      steps.unshift(anchor);
      break;
    }
    steps.unshift(structuralStep(current));
    const candidate = steps.join(' > ');
    // Stop as soon as the path is unique and anchored (an id or the body), to keep it short.
    if (current.parentElement === doc.body && count(doc, `body > ${candidate}`) === 1) {
      steps.unshift('body');
      break;
    }
    current = current.parentElement;
  }
  const selector = steps.join(' > ');
  const matches = count(doc, selector);
  return { selector, matches, fragile: matches !== 1 || selector.includes(':nth-') };
}
