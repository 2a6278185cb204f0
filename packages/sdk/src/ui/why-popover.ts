import type { ControlAction } from '@candor/core';
import type { UiHost } from '../ui-contract.js';
import { openDialog } from './dialog.js';
import { button, h } from './dom.js';
import { explainSlot } from './explain-slot.js';
import { downloadJson } from './download.js';
import { openPreferences } from './preferences.js';
import { askField } from './question.js';
import { t } from './strings.js';

/**
 * "Why am I seeing this?": the core's explanation (docs/privacy.md §4) — the data used with its value,
 * source, time and purpose; the main reason; what would change it; what was not used — and its
 * controls. Every value is inserted as text.
 */
export function openWhy(host: UiHost, slot: string, opener: HTMLElement): void {
  const explanation = explainSlot(host, slot);
  if (!explanation) return;
  // Counted in the aggregates (only when measurement is allowed) for the privacy report.
  host.trust(slot, 'explanation_open');
  const doc = host.doc;
  const dialog = openDialog(host, {
    title: explanation.text.title,
    kind: 'why',
    modal: true,
    onDismiss: () => {},
    opener,
  });
  const status = h(doc, 'p', { class: 'candor-status', role: 'status' });
  const act = (action: ControlAction, field: string | undefined): void => {
    switch (action) {
      case 'edit_answer': {
        const target = host.snapshot()?.fields.find((candidate) => candidate.key === field);
        if (!target) return;
        dialog.body.replaceChildren();
        void askField(host, target, dialog.body, true).then(() => dialog.close());
        return;
      }
      case 'stop_using':
        dialog.close();
        void host.stopUsing(slot);
        return;
      case 'see_standard':
        host.showStandard(slot);
        status.textContent = t(host, 'standardShown');
        return;
      case 'withdraw_consent':
      case 'see_all_data':
      case 'delete':
        dialog.close();
        openPreferences(host, opener);
        return;
      case 'download':
        downloadJson(host);
        return;
    }
  };
  const list = (items: readonly string[], attributes: Record<string, string> = {}): HTMLElement | null =>
    items.length === 0 ? null : h(doc, 'ul', attributes, ...items.map((item) => h(doc, 'li', {}, item)));
  const text = explanation.text;
  dialog.body.append(
    ...[
      h(doc, 'p', { 'data-candor-part': 'reason' }, text.mainReason),
      text.mattered ? h(doc, 'p', {}, text.mattered) : null,
      list(text.signals, { 'data-candor-part': 'signals' }),
      h(doc, 'p', { 'data-candor-part': 'counterfactual' }, text.counterfactual),
      list(text.excluded, { 'data-candor-part': 'excluded' }),
      text.decidedBy ? h(doc, 'p', {}, text.decidedBy) : null,
      text.proof ? h(doc, 'p', {}, text.proof) : null,
      h(
        doc,
        'div',
        { class: 'candor-row' },
        ...explanation.controls.map((control) =>
          button(host, control.label, () => act(control.action, control.field), {
            'data-candor-action': control.action,
          }),
        ),
      ),
      status,
    ].filter((node): node is HTMLElement => node !== null),
  );
}
