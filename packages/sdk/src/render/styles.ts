/**
 * Adds a stylesheet without inline `<style>` text when possible (constructable stylesheets are not
 * subject to CSP), else a `<style nonce>`: the SDK works under a strict CSP either way.
 */
export function addStyles(doc: Document, css: string, nonce: string | undefined): () => void {
  const withAdopted = doc as Document & { adoptedStyleSheets?: CSSStyleSheet[] };
  if (
    withAdopted.adoptedStyleSheets &&
    typeof CSSStyleSheet === 'function' &&
    'replaceSync' in CSSStyleSheet.prototype
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    withAdopted.adoptedStyleSheets = [...withAdopted.adoptedStyleSheets, sheet];
    return () => {
      withAdopted.adoptedStyleSheets = (withAdopted.adoptedStyleSheets ?? []).filter((s) => s !== sheet);
    };
  }
  const style = doc.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  (doc.head ?? doc.documentElement).appendChild(style);
  return () => style.remove();
}

/** Hides only undecided slots (never the page) until decided or the timeout passes. */
export const ANTI_FLICKER_CSS = '[data-candor-slot]:not([data-candor-state]){visibility:hidden!important}';

/**
 * On a cached visit, what the cached snapshot may change by selector stays hidden too until decided
 * (or the timeout): the elements its page changes select, and the whole body when it holds a
 * split-URL redirect, so neither the original text nor the original page flashes. The copy is read
 * before its signature is checked, which is safe because it only ever hides, and only until reveal;
 * a selector that could break out of its CSS rule is left out.
 */
export function pageHidingCss(body: string): string {
  if (!body.includes('"changes"') && !body.includes('"redirect"')) return '';
  const selectors: string[] = [];
  let redirect = false;
  try {
    JSON.parse(body, (key, value: unknown) => {
      // Only page changes' selectors: a placed question's anchor is the page's own content.
      if (key === 'changes' && Array.isArray(value))
        for (const change of value as { selector?: unknown }[])
          if (typeof change?.selector === 'string' && !/[{};@\\]|\/\*/.test(change.selector))
            selectors.push(change.selector);
      if (key === 'type' && value === 'redirect') redirect = true;
      return value;
    });
  } catch {
    return '';
  }
  const hidden = redirect ? ['body'] : selectors;
  // One rule per selector: a selector this browser cannot parse drops only its own rule.
  return hidden.map((selector) => `${selector}{visibility:hidden!important}`).join('');
}
