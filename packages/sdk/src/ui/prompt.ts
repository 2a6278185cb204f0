import type { Purpose } from '@candor/core';
import type { UiHost } from '../ui-contract.js';
import { openDialog } from './dialog.js';
import { button, h } from './dom.js';
import { t } from './strings.js';

/**
 * The first-layer consent prompt (docs/privacy.md §5): purposes and what the visitor gets shown before
 * the choice (B9), every optional toggle unticked (B4), "Accept all" and "Reject all" as the same
 * element with the same style (B2, B3), and under GPC/DNT the notice that the signal is honoured
 * (B12). Closing it (× or Escape) leaves everything optional off (B5) but records nothing: a choice
 * is only what the visitor clicked, so the prompt comes back on the next page view. The exact text
 * shown is hashed into the ledger. After the site changed or added purposes (`view.reask`), it lists
 * only those, says why it asks again, and answers them alone (`reprompt`): other choices stand.
 */
export function showPrompt(host: UiHost): void {
  const snapshot = host.snapshot();
  if (!snapshot || host.doc.querySelector('.candor-prompt')) return;
  const doc = host.doc;
  const language = host.language();
  const view = host.consent();
  const signalled = view.signals.gpc || view.signals.dnt;
  const boxes = new Map<string, HTMLInputElement>();
  const reask = view.phase === 'decided' ? view.reask : [];
  const shown = reask.length > 0 ? snapshot.purposes.filter((p) => reask.includes(p.id)) : snapshot.purposes;
  const optional = shown.filter((p) => p.class !== 'essential' && p.class !== 'contextual');
  // Under GPC/DNT the consent machine lets "Accept all" grant only what the signal does not cover
  // (never profiling or sharing), so the button names exactly that instead of promising "all".
  const acceptable = signalled
    ? optional.filter((p) => p.class !== 'behavioural' && p.class !== 'cross_site')
    : optional;
  const acceptLabel = signalled
    ? t(host, 'acceptOnly', { purposes: acceptable.map((p) => p.name[language]).join(t(host, 'listSeparator')) })
    : t(host, 'acceptAll');
  let done = false;
  const decide = (action: 'accept_all' | 'reject_all' | 'custom'): void => {
    if (done) return;
    done = true;
    // "Accept" grants what its label names: a re-ask answers granularly, so the prompt (not the
    // consent machine) keeps profiling and sharing off under GPC/DNT there.
    const choices = Object.fromEntries(
      optional.map((p) => [
        p.id,
        action === 'accept_all'
          ? acceptable.includes(p)
          : action === 'reject_all'
            ? false
            : boxes.get(p.id)?.checked === true,
      ]),
    );
    const notice = dialog.root.textContent ?? '';
    dialog.close();
    void host.choose(reask.length > 0 ? 'reprompt' : action, choices, 'prompt', notice);
  };
  const dialog = openDialog(host, {
    title: t(host, 'promptTitle'),
    kind: 'prompt',
    modal: false,
    dismissLabel: t(host, 'close'),
    onDismiss: () => {
      done = true;
    },
  });
  const notice = signalled
    ? h(
        doc,
        'div',
        { class: 'candor-notice', role: 'status', 'data-candor-signal': view.signals.gpc ? 'gpc' : 'dnt' },
        h(doc, 'strong', {}, t(host, view.signals.gpc ? 'gpcTitle' : 'dntTitle')),
        h(doc, 'p', {}, t(host, view.signals.gpc ? 'gpcBody' : 'dntBody')),
      )
    : null;
  const row = (purpose: Purpose): HTMLElement => {
    const name = purpose.name[language];
    const description = h(doc, 'small', {}, purpose.description[language]);
    if (purpose.class === 'essential' || purpose.class === 'contextual') {
      const state = t(host, purpose.class === 'essential' ? 'alwaysOn' : 'contextualOn');
      return h(doc, 'div', { class: 'candor-purpose' }, h(doc, 'strong', {}, name), ` — ${state}`, description);
    }
    const blocked = signalled && purpose.class === 'cross_site';
    const box = h(doc, 'input', { type: 'checkbox', name: purpose.id, disabled: blocked }) as HTMLInputElement;
    boxes.set(purpose.id, box);
    return h(
      doc,
      'label',
      { class: 'candor-purpose' },
      box,
      ' ',
      h(doc, 'strong', {}, name),
      blocked ? ` — ${t(host, 'signalOff')}` : null,
      description,
    );
  };
  const policy = host.privacyPageUrl();
  dialog.body.append(
    ...[
      notice,
      h(doc, 'p', {}, t(host, reask.length > 0 ? 'reaskIntro' : 'promptIntro', { site: snapshot.site.name })),
      ...shown.map(row),
      h(
        doc,
        'div',
        { class: 'candor-row' },
        acceptable.length > 0
          ? button(host, acceptLabel, () => decide('accept_all'), { 'data-candor-action': 'accept_all' })
          : null,
        button(host, t(host, 'rejectAll'), () => decide('reject_all'), { 'data-candor-action': 'reject_all' }),
        button(host, t(host, 'save'), () => decide('custom'), { 'data-candor-action': 'save' }),
      ),
      policy
        ? h(doc, 'p', {}, h(doc, 'a', { href: policy, target: '_blank', rel: 'noopener' }, t(host, 'policy')))
        : null,
    ].filter((node): node is HTMLElement => node !== null),
  );
}
