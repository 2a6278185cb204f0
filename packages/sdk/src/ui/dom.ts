import type { UiHost } from '../ui-contract.js';
import { UI_CSS } from './ui-styles.js';

type Child = Node | string | null | undefined | false;

/**
 * Builds an element. Children that are strings become text nodes, so a visitor's own value (even
 * one containing HTML or script) is only ever shown as text. Attributes are set one by one; no
 * markup is parsed and no inline handler is ever written.
 */
export function h(
  doc: Document,
  tag: string,
  attributes: Readonly<Record<string, string | boolean | undefined>> = {},
  ...children: Child[]
): HTMLElement {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? doc.createTextNode(child) : child);
  }
  return element;
}

let styled = false;

/** Installs the UI stylesheet once (constructable stylesheet, or a nonce'd `<style>`). */
export function ensureStyles(host: UiHost): void {
  if (styled) return;
  styled = true;
  host.addStyles(UI_CSS);
}

/** A button with a click handler attached through the DOM (never an `onclick` attribute). */
export function button(
  host: UiHost,
  label: string,
  onClick: () => void,
  attributes: Readonly<Record<string, string | undefined>> = {},
): HTMLButtonElement {
  const element = h(host.doc, 'button', { type: 'button', class: 'candor-btn', ...attributes }, label);
  element.addEventListener('click', onClick);
  return element as HTMLButtonElement;
}

let ids = 0;
/** A unique id for label/description wiring. */
export function uid(prefix: string): string {
  ids += 1;
  return `candor-${prefix}-${ids}`;
}
