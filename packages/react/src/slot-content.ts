import type { Language, SlotContent } from '@candor/core';

/** How a slot renders a variant's content without a render function of the page's own. */
export type RenderedContent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'html'; readonly html: string }
  | { readonly kind: 'class'; readonly className: string }
  /** Content this component cannot render safely by itself: the page's fallback stays. */
  | { readonly kind: 'fallback' };

/**
 * Picks what a slot shows for a variant's content in a language. HTML needs the page's sanitiser
 * (the same on the server and in the browser); attribute variants stay with the fallback, because a
 * wrapper element's attributes are the page's own markup.
 */
export function renderedContent(
  content: SlotContent | undefined,
  language: Language,
  sanitizeHtml: ((html: string) => string) | undefined,
): RenderedContent {
  switch (content?.type) {
    case 'text':
      return { kind: 'text', text: content.text[language] };
    case 'html':
      return sanitizeHtml ? { kind: 'html', html: sanitizeHtml(content.html[language]) } : { kind: 'fallback' };
    case 'class':
      return { kind: 'class', className: content.className };
    default:
      return { kind: 'fallback' };
  }
}
