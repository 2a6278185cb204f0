import type { UiHost } from '../ui-contract.js';
import { button, ensureStyles, h, uid } from './dom.js';
import { t } from './strings.js';

/** An open dialog: its body to fill, and a way to close it. */
export interface Dialog {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  close(): void;
}

const FOCUSABLE =
  'a[href],button:not([disabled]),input:not([disabled]),select,textarea,[tabindex]:not([tabindex="-1"])';

// Open dialogs, oldest first. One keydown listener per document serves them all, so Escape and Tab
// only ever reach the topmost one (a "Why?" popover above the open consent prompt closes alone).
const open: { panel: HTMLElement; dismiss: () => void }[] = [];
const listening = new WeakSet<Document>();

function onKey(event: KeyboardEvent): void {
  // A layer removed without close() (the page's own script, say) must not keep Escape to itself.
  while (open.length > 0 && open[open.length - 1]?.panel.isConnected !== true) open.pop();
  const top = open[open.length - 1];
  if (!top) return;
  if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    top.dismiss();
    return;
  }
  if (event.key !== 'Tab') return;
  const doc = top.panel.ownerDocument;
  const items = Array.from(top.panel.querySelectorAll<HTMLElement>(FOCUSABLE));
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && doc.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && doc.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * An accessible dialog: `role=dialog`, labelled by its title, focus moved in and trapped, Escape
 * (topmost dialog only) and the close button call `onDismiss`, and focus returns to whatever opened
 * it. Dismissing never stands for a choice: a caller records only what the visitor clicked.
 */
export function openDialog(
  host: UiHost,
  options: {
    title: string;
    kind: string;
    modal: boolean;
    onDismiss: () => void;
    dismissLabel?: string;
    opener?: HTMLElement;
  },
): Dialog {
  ensureStyles(host);
  const doc = host.doc;
  const titleId = uid('title');
  const previous = options.opener ?? (doc.activeElement as HTMLElement | null);
  const body = h(doc, 'div', { class: 'candor-body' });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    root.remove();
    const index = open.indexOf(entry);
    if (index >= 0) open.splice(index, 1);
    previous?.focus?.();
  };
  const dismiss = (): void => {
    close();
    options.onDismiss();
  };
  const closeButton = button(host, '×', dismiss, {
    class: 'candor-close',
    'aria-label': options.dismissLabel ?? t(host, 'closeDialog'),
    title: options.dismissLabel ?? t(host, 'closeDialog'),
  });
  const panel = h(
    doc,
    'div',
    {
      class: `candor-panel candor-${options.kind}`,
      role: 'dialog',
      'aria-modal': options.modal ? 'true' : 'false',
      'aria-labelledby': titleId,
      lang: host.language(),
      tabindex: '-1',
    },
    h(
      doc,
      'div',
      { class: 'candor-head' },
      h(doc, 'h2', { id: titleId, class: 'candor-title' }, options.title),
      closeButton,
    ),
    body,
  );
  const root = h(doc, 'div', { class: options.modal ? 'candor-layer candor-modal' : 'candor-layer' }, panel);
  const entry = { panel, dismiss };
  open.push(entry);
  if (!listening.has(doc)) {
    listening.add(doc);
    doc.addEventListener('keydown', onKey, true);
  }
  doc.body.appendChild(root);
  queueMicrotask(() => (panel.querySelector<HTMLElement>('input,button:not(.candor-close)') ?? panel).focus());
  return { root, body, close };
}
