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
