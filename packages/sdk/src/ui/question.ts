import type { Field } from '@candor/core';
import type { AskResult, UiHost } from '../ui-contract.js';
import { openDialog } from './dialog.js';
import { button, h, uid } from './dom.js';
import { t } from './strings.js';

/**
 * Asks one question: the field's question, "why we ask" and "what you get", and a Skip exactly as
 * easy as answering (same element, same style). A skip is respected for the cooling-off period.
 */
export function askField(host: UiHost, field: Field, container?: Element, editing = false): Promise<AskResult> {
  return new Promise((resolve) => {
    const doc = host.doc;
    const language = host.language();
    let settled = false;
    const finish = (result: AskResult): void => {
      if (settled) return;
      settled = true;
      dialog?.close();
      if (!editing) form.remove();
      resolve(result);
    };
    const skip = (): void => {
      if (!editing) host.skip(field);
      finish({ status: 'skipped' });
    };
    const questionId = uid('q');
    const input = inputFor(doc, field, language, host.record().values[field.key]?.value, questionId);
    const save = (): void => {
      const value = input.read();
      if (value === undefined) return;
      host.answer(field, value);
      finish({ status: 'answered', value });
    };
    const form = h(
      doc,
      'form',
      { class: 'candor-question', 'aria-labelledby': questionId, 'data-candor-question': field.key },
      h(doc, 'p', { id: questionId }, h(doc, 'strong', {}, field.question?.[language] ?? field.label[language])),
      h(doc, 'p', {}, t(host, 'whyWeAsk', { text: field.whyWeAsk[language] })),
      h(doc, 'p', {}, t(host, 'whatYouGet', { text: field.whatYouGet[language] })),
      input.element,
      h(
        doc,
        'div',
        { class: 'candor-row' },
        button(host, t(host, 'answer'), save, { 'data-candor-action': 'answer' }),
        button(host, t(host, 'skip'), skip, { 'data-candor-action': 'skip' }),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save();
    });
    const dialog = container
      ? undefined
      : openDialog(host, { title: t(host, 'questionTitle'), kind: 'question', modal: true, onDismiss: skip });
    (container ?? dialog?.body)?.appendChild(form);
  });
}

interface Input {
  readonly element: HTMLElement;
  read(): unknown;
}

function inputFor(
  doc: Document,
  field: Field,
  language: 'en' | 'zh-Hant',
  current: unknown,
  labelledBy: string,
): Input {
  const group = (type: 'radio' | 'checkbox', options: readonly { value: string; label: string }[]): Input => {
    const name = `candor-${field.key}`;
    const boxes = options.map(
      (option) =>
        h(doc, 'input', {
          type,
          name,
          value: option.value,
          checked: Array.isArray(current) ? current.includes(option.value) : String(current) === option.value,
        }) as HTMLInputElement,
    );
    const element = h(
      doc,
      'div',
      { role: type === 'radio' ? 'radiogroup' : 'group', 'aria-labelledby': labelledBy },
      ...boxes.map((box, index) => h(doc, 'label', { class: 'candor-purpose' }, box, ' ', options[index]?.label ?? '')),
    );
    return {
      element,
      read: () => {
        const picked = boxes.filter((box) => box.checked).map((box) => box.value);
        if (type === 'checkbox') return picked;
        const value = picked[0];
        if (value === undefined) return undefined;
        return field.type === 'boolean' ? value === 'true' : value;
      },
    };
  };
  if (field.type === 'boolean') {
    return group('radio', [
      { value: 'true', label: language === 'zh-Hant' ? '是' : 'Yes' },
      { value: 'false', label: language === 'zh-Hant' ? '否' : 'No' },
    ]);
  }
  const options = (field.options ?? []).map((option) => ({ value: option.value, label: option.label[language] }));
  if (options.length > 0) return group(field.type === 'string[]' ? 'checkbox' : 'radio', options);
  const box = h(doc, 'input', {
    type: field.type === 'number' ? 'number' : 'text',
    'aria-labelledby': labelledBy,
    maxlength: '200',
  }) as HTMLInputElement;
  if (current !== undefined) box.value = String(current);
  return {
    element: box,
    read: () => {
      const raw = box.value.trim();
      if (raw === '') return undefined;
      if (field.type === 'number') {
        const n = Number(raw);
        return Number.isFinite(n) ? n : undefined;
      }
      return field.type === 'string[]' ? raw.split(',').map((part) => part.trim()) : raw;
    },
  };
}
