import { messagesFor } from '@candor/core';
import type { FieldSource } from '@candor/core';
import type { UiHost } from '../ui-contract.js';
import { openDialog } from './dialog.js';
import { button, h } from './dom.js';
import { downloadJson } from './download.js';
import { askField } from './question.js';
import { formatDay, t } from './strings.js';

interface ServerValue {
  readonly key: string;
  readonly value: unknown;
  readonly source: string;
  readonly purpose: string;
  readonly collectedAt: number;
  readonly expiresAt: number;
}

/**
 * The preference center: consent per purpose with its history, every value on the device and on
 * the server (value, source, when, purpose, expiry) with edit and delete, download JSON, delete
 * everything, withdraw and "stop personalizing me". Withdrawing takes one click, like consenting (B6).
 */
export function openPreferences(host: UiHost, opener?: HTMLElement): void {
  const snapshot = host.snapshot();
  if (!snapshot) return;
  host.doc.querySelector('.candor-preferences')?.closest('.candor-layer')?.remove();
  host.trust(undefined, 'preference_center');
  const doc = host.doc;
  const language = host.language();
  const core = messagesFor(language);
  const dialog = openDialog(host, {
    title: t(host, 'prefsTitle'),
    kind: 'preferences',
    modal: true,
    onDismiss: () => {},
    ...(opener ? { opener } : {}),
  });
  const status = h(doc, 'p', { class: 'candor-status', role: 'status' });
  const purposeName = (id: string): string => snapshot.purposes.find((p) => p.id === id)?.name[language] ?? id;
  const noticeText = (): string => dialog.root.textContent ?? '';
  const refresh = (message?: string): void => {
    render();
    if (message) status.textContent = message;
  };

  const consentSection = (): HTMLElement => {
    const view = host.consent();
    const boxes = new Map<string, HTMLInputElement>();
    const rows = snapshot.purposes.map((purpose) => {
      const box = h(doc, 'input', {
        type: 'checkbox',
        name: purpose.id,
        checked: view.granted[purpose.id] === true,
        disabled: purpose.class === 'essential',
      }) as HTMLInputElement;
      boxes.set(purpose.id, box);
      return h(
        doc,
        'label',
        { class: 'candor-purpose' },
        box,
        ' ',
        h(doc, 'strong', {}, purpose.name[language]),
        h(doc, 'small', {}, purpose.description[language]),
      );
    });
    const save = (): void => {
      const choices = Object.fromEntries(
        snapshot.purposes.filter((p) => p.class !== 'essential').map((p) => [p.id, boxes.get(p.id)?.checked === true]),
      );
      void host.choose('custom', choices, 'preference_center', noticeText()).then(() => refresh(t(host, 'prefsSaved')));
    };
    const withdraw = (): void => {
      const choices = Object.fromEntries(
        snapshot.purposes.filter((p) => p.class !== 'essential' && p.class !== 'contextual').map((p) => [p.id, false]),
      );
      void host
        .choose('withdraw', choices, 'preference_center', noticeText())
        .then(() => refresh(t(host, 'prefsSaved')));
    };
    const stop = (): void => void host.object(noticeText()).then(() => refresh(t(host, 'prefsStopped')));
    const history = view.history
      .slice()
      .reverse()
      .map((entry) =>
        h(
          doc,
          'li',
          {},
          t(host, 'historyEntry', {
            date: formatDay(host, entry.at),
            choices: Object.entries(entry.purposes)
              .map(([id, choice]) => `${purposeName(id)}: ${t(host, choice === 'granted' ? 'granted' : 'denied')}`)
              .join(', '),
          }),
        ),
      );
    return h(
      doc,
      'section',
      { 'data-candor-part': 'consent' },
      h(doc, 'h3', {}, t(host, 'prefsConsent')),
      view.signals.gpc ? h(doc, 'p', { class: 'candor-notice' }, t(host, 'gpcTitle')) : null,
      view.state.objectsToPersonalization ? h(doc, 'p', {}, t(host, 'prefsStopped')) : null,
      ...rows,
      h(
        doc,
        'div',
        { class: 'candor-row' },
        button(host, t(host, 'save'), save, { 'data-candor-action': 'save' }),
        button(host, t(host, 'prefsWithdraw'), withdraw, { 'data-candor-action': 'withdraw' }),
        button(host, t(host, 'prefsStop'), stop, { 'data-candor-action': 'stop' }),
      ),
      history.length > 0 ? h(doc, 'h4', {}, t(host, 'prefsHistory')) : null,
      history.length > 0 ? h(doc, 'ul', {}, ...history) : null,
    );
  };

  const valueText = (key: string, value: unknown): string => {
    const field = snapshot.fields.find((candidate) => candidate.key === key);
    const label = (v: unknown): string =>
      field?.options?.find((option) => option.value === v)?.label[language] ??
      (typeof v === 'boolean' ? (v ? core.yes : core.no) : String(v));
    return Array.isArray(value) ? value.map(label).join(', ') : label(value);
  };
  const table = (rows: readonly ServerValue[], editable: boolean): HTMLElement => {
    const head = ['field', 'value', 'source', 'collected', 'purpose', 'expires'] as const;
    return h(
      doc,
      'table',
      { class: 'candor-table' },
      h(
        doc,
        'thead',
        {},
        h(
          doc,
          'tr',
          {},
          ...head.map((key) => h(doc, 'th', { scope: 'col' }, t(host, key))),
          editable ? h(doc, 'th', {}) : null,
        ),
      ),
      h(
        doc,
        'tbody',
        {},
        ...rows.map((row) => {
          const field = snapshot.fields.find((candidate) => candidate.key === row.key);
          const source = (core.source as Record<string, string>)[row.source as FieldSource] ?? row.source;
          return h(
            doc,
            'tr',
            { 'data-candor-value': row.key },
            h(doc, 'td', {}, field?.label[language] ?? row.key),
            h(doc, 'td', {}, valueText(row.key, row.value)),
            h(doc, 'td', {}, source),
            h(doc, 'td', {}, formatDay(host, row.collectedAt)),
            h(doc, 'td', {}, purposeName(row.purpose)),
            h(doc, 'td', {}, formatDay(host, row.expiresAt)),
            editable
              ? h(
                  doc,
                  'td',
                  {},
                  field?.question
                    ? button(
                        host,
                        t(host, 'edit'),
                        () => {
                          const holder = h(doc, 'div', {});
                          dialog.body.prepend(holder);
                          void askField(host, field, holder, true).then(() => refresh(t(host, 'prefsSaved')));
                        },
                        { 'data-candor-action': 'edit' },
                      )
                    : null,
                  button(
                    host,
                    t(host, 'remove'),
                    () => void host.removeValue(row.key).then(() => refresh(t(host, 'prefsSaved'))),
                    {
                      'data-candor-action': 'delete-value',
                    },
                  ),
                )
              : null,
          );
        }),
      ),
    );
  };
  const deviceSection = (): HTMLElement => {
    const values = Object.entries(host.record().values).map(([key, entry]) => ({ key, ...entry }));
    return h(
      doc,
      'section',
      { 'data-candor-part': 'device' },
      h(doc, 'h3', {}, t(host, 'prefsDevice')),
      values.length === 0 ? h(doc, 'p', {}, t(host, 'prefsEmpty')) : table(values, true),
    );
  };
  const serverSection = (): HTMLElement => {
    const section = h(doc, 'section', { 'data-candor-part': 'server' }, h(doc, 'h3', {}, t(host, 'prefsServer')));
    void host.serverData().then((data) => {
      const held = data as { values?: ServerValue[]; consent?: unknown[] } | undefined;
      if (!held) {
        section.append(h(doc, 'p', {}, t(host, 'prefsServerNone')));
        return;
      }
      section.append(
        h(
          doc,
          'p',
          {},
          t(host, 'serverValues', { count: held.values?.length ?? 0, records: held.consent?.length ?? 0 }),
        ),
      );
      if (held.values && held.values.length > 0) section.append(table(held.values, false));
    });
    return section;
  };
  const deleteAll = (): void => {
    void host.deleteEverything().then((erased) => refresh(t(host, erased ? 'prefsDeleted' : 'prefsDeleteFailed')));
  };
  const render = (): void => {
    status.textContent = '';
    dialog.body.replaceChildren(
      status,
      consentSection(),
      deviceSection(),
      serverSection(),
      h(
        doc,
        'div',
        { class: 'candor-row' },
        button(host, t(host, 'download'), () => downloadJson(host), { 'data-candor-action': 'download' }),
        button(host, t(host, 'prefsDeleteAll'), deleteAll, { 'data-candor-action': 'delete-all' }),
      ),
    );
  };
  render();
}
