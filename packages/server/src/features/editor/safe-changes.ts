import { unsafeHtmlParts } from '@candor/core';

/** The URL-carrying attributes whose value a browser may navigate to or run. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'srcset',
  'data',
  'cite',
]);
// Browsers drop ASCII whitespace and control characters inside a scheme (`java\tscript:`), so we do too.
const SCHEME = /^([a-z][a-z0-9+.-]*):/;

/** Whether a URL would run script or load a document from its own text when followed. */
export function isUnsafeUrl(url: string): boolean {
  const compact = url.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
  const scheme = SCHEME.exec(compact)?.[1];
  if (scheme === undefined) return false;
  if (scheme === 'data') return !/^data:image\/(png|jpeg|gif|webp|avif);/.test(compact);
  return scheme === 'javascript' || scheme === 'vbscript';
}

/**
 * What the editor may not store, each as a sentence the marketer can act on: event-handler and
 * `srcdoc`/`style` attributes, script URLs, and HTML the SDK's sanitiser would strip (the editor
 * sanitises before saving, so a request carrying it did not come from the editor as built).
 */
export function unsafeChangeProblems(changes: readonly Record<string, unknown>[]): string[] {
  const problems: string[] = [];
  changes.forEach((change, index) => {
    const at = `changes.${index}`;
    if (change['op'] === 'attribute') {
      const name = String(change['name']).toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name === 'style')
        problems.push(`${at}: the attribute "${name}" cannot be set from the editor`);
      else if (URL_ATTRIBUTES.has(name) && isUnsafeUrl(String(change['value'])))
        problems.push(`${at}: a javascript:, vbscript: or data: URL cannot be a link or source`);
    }
    if (change['op'] === 'image' && isUnsafeUrl(String(change['src'])))
      problems.push(`${at}: an image source must be an http(s) URL, a path or a data:image URL`);
    if (change['op'] === 'html' || change['op'] === 'insert') {
      for (const html of Object.values((change['html'] ?? {}) as Record<string, unknown>)) {
        const parts = typeof html === 'string' ? unsafeHtmlParts(html) : [];
        if (parts.length > 0) problems.push(`${at}: the HTML contains ${parts.join('; ')}`);
      }
    }
  });
  return problems;
}
