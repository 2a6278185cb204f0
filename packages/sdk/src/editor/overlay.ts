// The on-page editor: a closed shadow root (the page's CSS and scripts cannot reach into it) holding
// a highlight box and a side panel. Hover highlights, click selects, each action becomes a page
// change shown live; Save writes the list into the draft variant through the token-only API.
import { matchUrl } from '@candor/core';
import type {
  EditorApi,
  EditorFinding,
  EditorSession,
  PageChangeInput,
  PreviewRow,
  QuestionPlacementInput,
} from './editor-api.js';
import { changeHistory, liveChange, sanitizedHtml, type ChangeHistory } from './live-changes.js';
import { proposeSelector, type SelectorProposal } from './selector.js';
import { editorLanguage, editorText, type EditorTextKey } from './strings.js';
import { EDITOR_STYLES } from './styles.js';

type Props = Readonly<Record<string, string | boolean | ((event: Event) => void)>>;

function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: Props = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(name, value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** The children that exist: optional sections are written inline as `cond ? node : null`. */
function present(...nodes: (Node | null)[]): Node[] {
  return nodes.filter((node): node is Node => node !== null);
}

type Action = 'text' | 'html' | 'attribute' | 'hide' | 'insertBefore' | 'insertAfter' | 'move' | 'image';
const ACTIONS: readonly Action[] = [
  'text',
  'html',
  'attribute',
  'hide',
  'insertBefore',
  'insertAfter',
  'move',
  'image',
];

/** Opens the editor on `doc`; resolves once the session is loaded (or the failure is shown). `nonce` lets its styles pass a strict CSP. */
export async function openEditor(doc: Document, api: EditorApi, nonce?: string): Promise<void> {
  const win = doc.defaultView!;
  const lang = editorLanguage(doc.documentElement.lang);
  const t = (key: EditorTextKey, values?: Readonly<Record<string, string | number>>): string =>
    editorText(lang, key, values);
  const host = h(doc, 'div', { 'data-candor-editor': true });
  const root = host.attachShadow({ mode: 'closed' });
  root.append(h(doc, 'style', nonce ? { nonce } : {}, EDITOR_STYLES));
  const highlight = h(doc, 'div', { class: 'highlight' });
  const panel = h(doc, 'aside', { class: 'panel', role: 'dialog', 'aria-label': t('title') });
  root.append(highlight, panel);
  doc.body.append(host);

  let session: EditorSession;
  try {
    session = await api.session();
  } catch (error) {
    panel.replaceChildren(
      h(doc, 'p', { class: 'error', role: 'alert' }, t('closed', { message: (error as Error).message })),
    );
    return;
  }
  const languages = session.languages.length > 0 ? session.languages : [session.defaultLanguage];
  const pageLanguage = languages.includes(editorLanguage(doc.documentElement.lang))
    ? editorLanguage(doc.documentElement.lang)
    : session.defaultLanguage;
  const variants = session.experiences.flatMap((experience) =>
    experience.variants.map((variant) => ({ experience, variant })),
  );
  const focus = session.focus;
  let chosen =
    variants.find(
      (entry) =>
        entry.experience.id === focus?.experience && (focus.variant === null || entry.variant.id === focus.variant),
    ) ?? variants[0];
  // A save replaces the variant's whole list, so the list starts from what is saved: each saved
  // change is shown on the page where its selector still finds an element, and kept either way.
  const savedHistory = (): ChangeHistory => {
    const saved = changeHistory();
    for (const change of chosen?.variant.changes ?? []) {
      const find = (selector: unknown): Element | null => {
        try {
          return doc.querySelector(String(selector));
        } catch {
          return null;
        }
      };
      const element = find(change.selector);
      const target = change.op === 'move' ? find(change['target']) : element;
      saved.push(
        element && target
          ? liveChange(element, change, pageLanguage, target)
          : { change, apply: () => undefined, revert: () => undefined },
      );
    }
    return saved;
  };
  let history: ChangeHistory = savedHistory();
  let selected: Element | undefined;
  let proposal: SelectorProposal | undefined;
  let form: HTMLElement | null = null;
  let picking: ((element: Element) => void) | undefined;
  let findings: EditorFinding[] = [];
  let refused: string[] = [];
  let previewRows: PreviewRow[] | undefined;
  let status = '';
  // Placed questions are saved one at a time (not with the variant's changes): each is its own draft.
  let placements: QuestionPlacementInput[] = [...(session.placements ?? [])];
  let placementFindings: EditorFinding[] = [];
  const pageUrl = (): string => win.location.pathname + win.location.search;

  // The editor itself and Candor's own visitor UI (consent prompt, chips: `candor-*` classes) are not
  // page content: clicks there act as usual, so the marketer can dismiss the prompt while editing.
  const inEditor = (node: EventTarget | null): boolean =>
    node === host || (node instanceof win.Element && node.closest('[class^="candor-"],[class*=" candor-"]') !== null);
  const box = (element: Element | undefined): void => {
    if (!element) {
      highlight.style.display = 'none';
      return;
    }
    const rect = element.getBoundingClientRect();
    Object.assign(highlight.style, {
      display: 'block',
      top: `${rect.top}px`,
      left: `${rect.left}px`,
      width: `${rect.width}px`,
      height: `${rect.height}px`,
    });
  };

  const changes = (): PageChangeInput[] => history.done.map((live) => live.change);
  const refreshLint = async (): Promise<void> => {
    const list = changes();
    if (!chosen || list.length === 0) {
      findings = [];
      refused = [];
    } else {
      try {
        ({ findings, refused } = await api.lint(chosen.experience.id, chosen.variant.id, list));
      } catch (error) {
        refused = [(error as Error).message];
      }
    }
    render();
  };
  const record = (change: PageChangeInput, target?: Element): void => {
    if (!selected) return;
    history.push(liveChange(selected, change, pageLanguage, target));
    form = null;
    render();
    void refreshLint();
  };

  const localizedInputs = (name: string, initial: string, multiline: boolean): HTMLElement[] =>
    languages.map((language) => {
      const props = { name: `${name}.${language}`, 'aria-label': t('inLanguage', { language }) };
      const input = multiline ? h(doc, 'textarea', props) : h(doc, 'input', props);
      input.value = language === pageLanguage ? initial : '';
      return h(doc, 'label', {}, t('inLanguage', { language }), input);
    });
  const readLocalized = (fields: HTMLFormElement, name: string): Record<string, string> =>
    Object.fromEntries(
      languages.map((language) => [
        language,
        String((fields.elements.namedItem(`${name}.${language}`) as HTMLInputElement | null)?.value ?? ''),
      ]),
    );

  const startAction = (action: Action): void => {
    if (!selected || !proposal) return;
    const selector = proposal.selector;
    if (action === 'hide') return record({ op: 'hide', selector });
    const submit = (build: (fields: HTMLFormElement) => PageChangeInput | undefined) => (event: Event) => {
      event.preventDefault();
      const change = build(event.target as HTMLFormElement);
      if (change) record(change);
    };
    const buttons = h(
      doc,
      'div',
      { class: 'row' },
      h(doc, 'button', { type: 'submit' }, t('apply')),
      h(doc, 'button', { type: 'button', click: () => ((form = null), render()) }, t('cancel')),
    );
    const html = (text: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(text).map(([language, value]) => [language, sanitizedHtml(doc, value)]));
    if (action === 'text') {
      form = h(
        doc,
        'form',
        { submit: submit((f) => ({ op: 'text', selector, text: readLocalized(f, 'text') })) },
        ...localizedInputs('text', selected.textContent?.trim() ?? '', true),
        buttons,
      );
    } else if (action === 'html' || action === 'insertBefore' || action === 'insertAfter') {
      const initial = action === 'html' ? selected.innerHTML.trim() : '';
      form = h(
        doc,
        'form',
        {
          submit: submit((f) =>
            action === 'html'
              ? { op: 'html', selector, html: html(readLocalized(f, 'html')) }
              : {
                  op: 'insert',
                  selector,
                  position: action === 'insertBefore' ? 'before' : 'after',
                  html: html(readLocalized(f, 'html')),
                },
          ),
        },
        ...localizedInputs('html', initial, true),
        buttons,
      );
    } else if (action === 'attribute') {
      const nameInput = h(doc, 'input', { name: 'name', 'aria-label': t('name') });
      nameInput.value = selected.localName === 'a' ? 'href' : '';
      const valueInput = h(doc, 'input', { name: 'value', 'aria-label': t('value') });
      valueInput.value = selected.getAttribute(nameInput.value || 'title') ?? '';
      form = h(
        doc,
        'form',
        {
          submit: submit(() => ({ op: 'attribute', selector, name: nameInput.value.trim(), value: valueInput.value })),
        },
        h(doc, 'label', {}, t('name'), nameInput),
        h(doc, 'label', {}, t('value'), valueInput),
        buttons,
      );
    } else if (action === 'image') {
      const src = h(doc, 'input', { name: 'src', 'aria-label': t('source') });
      src.value = selected.getAttribute('src') ?? '';
      form = h(
        doc,
        'form',
        {
          submit: submit((f) => ({ op: 'image', selector, src: src.value.trim(), alt: readLocalized(f, 'alt') })),
        },
        h(doc, 'label', {}, t('source'), src),
        ...languages.map((language) => {
          const input = h(doc, 'input', { name: `alt.${language}`, 'aria-label': t('alt', { language }) });
          input.value = language === pageLanguage ? (selected?.getAttribute('alt') ?? '') : '';
          return h(doc, 'label', {}, t('alt', { language }), input);
        }),
        buttons,
      );
    } else {
      const moving = selected;
      form = h(doc, 'p', { class: 'hint' }, t('moveHint'));
      picking = (target) => {
        picking = undefined;
        const targetSelector = proposeSelector(target).selector;
        const place = (position: 'before' | 'after') => () => {
          selected = moving;
          record({ op: 'move', selector, target: targetSelector, position }, target);
        };
        form = h(
          doc,
          'div',
          { class: 'row' },
          h(doc, 'code', {}, targetSelector),
          h(doc, 'button', { type: 'button', click: place('before') }, t('before')),
          h(doc, 'button', { type: 'button', click: place('after') }, t('after')),
        );
        render();
      };
    }
    render();
  };

  const startAsk = (): void => {
    if (!proposal) return;
    const selector = proposal.selector;
    const askable = session.fields.filter((field) => field.question);
    if (askable.length === 0) {
      form = h(doc, 'p', { class: 'warning', role: 'status' }, t('noQuestions'));
      return render();
    }
    const field = h(
      doc,
      'select',
      { name: 'field', 'aria-label': t('askField') },
      ...askable.map((entry) => h(doc, 'option', { value: entry.key }, entry.label[lang] ?? entry.key)),
    );
    const position = h(
      doc,
      'select',
      { name: 'position', 'aria-label': t('position') },
      ...(['after', 'before', 'inside'] as const).map((value) => h(doc, 'option', { value }, t(value))),
    );
    const pages = h(doc, 'input', { name: 'pages', 'aria-label': t('askPages') });
    pages.value = win.location.pathname;
    const place = async (event: Event): Promise<void> => {
      event.preventDefault();
      const pattern = pages.value.trim();
      // Ids must be unique in the draft and need not mean anything: the field and the time suffice.
      const placement: QuestionPlacementInput = {
        id: `ask-${field.value.slice(0, 40).replace(/[^\w.-]/g, '-')}-${Date.now().toString(36)}`,
        field: field.value,
        selector,
        position: position.value as QuestionPlacementInput['position'],
        ...(pattern === '' ? {} : { pages: [{ type: 'path', pattern }] }),
      };
      try {
        ({ findings: placementFindings } = await api.placeQuestion(placement));
        placements = [...placements, placement];
        form = null;
        status = t('placed');
      } catch (error) {
        status = t('failed', { message: (error as Error).message });
      }
      render();
    };
    form = h(
      doc,
      'form',
      { 'data-ask': true, submit: (event: Event) => void place(event) },
      h(doc, 'label', {}, t('askField'), field),
      h(doc, 'label', {}, t('position'), position),
      h(doc, 'label', {}, t('askPages'), pages),
      h(
        doc,
        'div',
        { class: 'row' },
        h(doc, 'button', { type: 'submit' }, t('placeQuestion')),
        h(doc, 'button', { type: 'button', click: () => ((form = null), render()) }, t('cancel')),
      ),
    );
    render();
  };
  const removePlacement = async (id: string): Promise<void> => {
    try {
      await api.removePlacement(id);
      placements = placements.filter((placement) => placement.id !== id);
      placementFindings = [];
    } catch (error) {
      status = t('failed', { message: (error as Error).message });
    }
    render();
  };

  const runPreview = async (fields: HTMLFormElement): Promise<void> => {
    const value = (name: string): string => (fields.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const checked = (name: string): boolean =>
      (fields.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false;
    const values = Object.fromEntries(
      session.fields.map((field) => [field.key, value(`field.${field.key}`)]).filter(([, v]) => v !== ''),
    );
    try {
      previewRows = await api.preview({
        ...(chosen && changes().length > 0
          ? { experience: chosen.experience.id, variant: chosen.variant.id, changes: changes() }
          : {}),
        visitor: {
          values,
          granted: Object.fromEntries(
            session.purposes.map((purpose) => [purpose.id, checked(`purpose.${purpose.id}`)]),
          ),
          gpc: checked('gpc'),
          language: value('language') === 'zh-Hant' ? 'zh-Hant' : 'en',
          visitorId: 'editor-preview',
        },
      });
    } catch (error) {
      status = t('failed', { message: (error as Error).message });
    }
    render();
  };

  // Built once and kept across renders, so what the marketer typed and the open/closed state survive
  // the re-render that every lint answer causes; only the answer box below the form is redrawn.
  const whyBox = h(doc, 'div', { class: 'why', 'data-why': true });
  const previewDetails = h(
    doc,
    'details',
    { class: 'preview' },
    h(doc, 'summary', {}, t('preview')),
    h(
      doc,
      'form',
      { submit: (event: Event) => (event.preventDefault(), void runPreview(event.target as HTMLFormElement)) },
      h(
        doc,
        'label',
        {},
        t('language'),
        h(
          doc,
          'select',
          { name: 'language', 'aria-label': t('language') },
          ...languages.map((code) => h(doc, 'option', { value: code }, code)),
        ),
      ),
      ...session.fields.map((field) =>
        h(doc, 'label', {}, field.label[lang] ?? field.key, h(doc, 'input', { name: `field.${field.key}` })),
      ),
      ...session.purposes.map((purpose) =>
        h(
          doc,
          'label',
          { class: 'check' },
          h(doc, 'input', { type: 'checkbox', name: `purpose.${purpose.id}` }),
          t('granted', { purpose: purpose.name[lang] ?? purpose.id }),
        ),
      ),
      h(doc, 'label', { class: 'check' }, h(doc, 'input', { type: 'checkbox', name: 'gpc' }), t('gpc')),
      h(doc, 'button', { type: 'submit' }, t('runPreview')),
    ),
    whyBox,
  );
  const previewSection = (): HTMLElement => {
    const page = chosen ? `page:${chosen.experience.id}` : '';
    const rows = (previewRows ?? []).filter((row) => row.slot === page && row.variant !== null);
    whyBox.replaceChildren(
      ...(previewRows === undefined
        ? []
        : rows.length === 0
          ? [h(doc, 'p', {}, t('noDecision'))]
          : rows.flatMap((row) =>
              Object.values(row.why.text)
                .flat()
                .filter((line): line is string => typeof line === 'string')
                .map((line) => h(doc, 'p', {}, line)),
            )),
    );
    return previewDetails;
  };

  const render = (): void => {
    const variantSelect = h(
      doc,
      'select',
      {
        'aria-label': t('variant'),
        change: (event: Event) => {
          while (history.undo());
          chosen = variants[Number((event.target as HTMLSelectElement).value)];
          history = savedHistory();
          findings = [];
          refused = [];
          render();
        },
      },
      ...variants.map((entry, index) =>
        h(
          doc,
          'option',
          { value: String(index), ...(entry === chosen ? { selected: true } : {}) },
          `${entry.experience.name} — ${entry.variant.name}`,
        ),
      ),
    );
    const list = changes();
    const here = placements.filter((placement) => matchUrl(placement.pages, pageUrl()));
    panel.replaceChildren(
      ...present(
        h(
          doc,
          'header',
          {},
          h(doc, 'strong', {}, t('title')),
          h(
            doc,
            'button',
            { type: 'button', class: 'close', 'aria-label': t('close'), click: () => host.remove() },
            '×',
          ),
        ),
        h(doc, 'label', {}, t('variant'), variantSelect),
        h(doc, 'p', { class: 'hint' }, t('hint')),
        proposal
          ? h(
              doc,
              'section',
              { class: 'selected' },
              h(doc, 'span', {}, t('selected')),
              h(doc, 'code', { 'data-selector': true }, proposal.selector),
              proposal.fragile
                ? h(
                    doc,
                    'p',
                    { class: 'warning', role: 'status' },
                    proposal.matches === 1 ? t('fragileLayout') : t('fragileCount', { count: proposal.matches }),
                  )
                : null,
              h(
                doc,
                'div',
                { class: 'actions' },
                ...ACTIONS.map((action) =>
                  h(
                    doc,
                    'button',
                    { type: 'button', 'data-action': action, click: () => startAction(action) },
                    t(action),
                  ),
                ),
                h(doc, 'button', { type: 'button', 'data-action': 'ask', click: startAsk }, t('ask')),
              ),
            )
          : null,
        form,
        h(
          doc,
          'div',
          { class: 'row' },
          h(
            doc,
            'button',
            {
              type: 'button',
              ...(list.length === 0 ? { disabled: true } : {}),
              click: () => (history.undo(), render(), void refreshLint()),
            },
            t('undo'),
          ),
          h(doc, 'button', { type: 'button', click: () => (history.redo(), render(), void refreshLint()) }, t('redo')),
        ),
        h(
          doc,
          'section',
          { class: 'changes' },
          h(doc, 'h3', {}, t('changes', { count: list.length })),
          h(
            doc,
            'ol',
            {},
            ...list.map((change) => h(doc, 'li', {}, `${change.op} `, h(doc, 'code', {}, change.selector))),
          ),
        ),
        h(
          doc,
          'section',
          { class: 'placements' },
          h(doc, 'h3', {}, t('placements', { count: here.length })),
          h(
            doc,
            'ul',
            {},
            ...here.map((placement) =>
              h(
                doc,
                'li',
                { 'data-placement': placement.id },
                `${placement.field} · ${t(placement.position)} `,
                h(doc, 'code', {}, placement.selector),
                h(doc, 'button', { type: 'button', click: () => void removePlacement(placement.id) }, t('remove')),
              ),
            ),
          ),
        ),
        h(
          doc,
          'section',
          { class: 'lint', 'aria-live': 'polite' },
          h(doc, 'h3', {}, t('lint')),
          ...refused.map((problem) => h(doc, 'p', { class: 'error', 'data-finding': 'refused' }, problem)),
          ...[...findings, ...placementFindings].map((finding) =>
            h(doc, 'p', { class: finding.severity, 'data-finding': finding.code }, finding.message),
          ),
          findings.length + refused.length + placementFindings.length === 0 ? h(doc, 'p', {}, t('noFindings')) : null,
        ),
        previewSection(),
        h(
          doc,
          'div',
          { class: 'row' },
          h(
            doc,
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-save': true,
              ...(list.length === 0 || !chosen ? { disabled: true } : {}),
              click: () => void save(),
            },
            t('save'),
          ),
        ),
        status ? h(doc, 'p', { class: 'status', role: 'status' }, status) : null,
      ),
    );
  };

  const save = async (): Promise<void> => {
    if (!chosen) return;
    try {
      await api.save(chosen.experience.id, chosen.variant.id, changes());
      status = t('saved');
    } catch (error) {
      status = t('failed', { message: (error as Error).message });
    }
    render();
  };

  // Capture phase: the page's own handlers never see the editor's hovering and clicking.
  doc.addEventListener(
    'mousemove',
    (event) => {
      if (inEditor(event.target)) return;
      box(event.target instanceof win.Element ? event.target : undefined);
    },
    true,
  );
  doc.addEventListener(
    'click',
    (event) => {
      if (inEditor(event.target) || !(event.target instanceof win.Element)) return;
      event.preventDefault();
      event.stopPropagation();
      if (picking) return picking(event.target);
      selected = event.target;
      proposal = proposeSelector(selected);
      form = null;
      status = '';
      placementFindings = [];
      render();
    },
    true,
  );
  render();
}
