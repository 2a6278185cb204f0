// The visual editor as a classic script (`candor-editor.js`), loaded by the head only when the page
// URL carries `#candor-editor=<token>`. The fragment is removed at once, so the token is not left in
// the address bar, the history entry or a link the marketer copies.
import { editorApi } from './editor/editor-api.js';
import { editorToken } from './editor/editor-hash.js';
import { openEditor } from './editor/overlay.js';

const token = editorToken(location.hash, Date.now());
// The API is the one the page's Candor script tag names (`data-api`, else the origin it loads from),
// read here rather than handed over by the head, whose every byte every visitor downloads.
const tag = document.querySelector<HTMLScriptElement>('script[data-site][src]');
const api = tag ? (tag.dataset['api'] ?? new URL(tag.src, location.href).origin) : undefined;
if (token && api) {
  history.replaceState(history.state, '', location.pathname + location.search);
  const nonce = tag?.nonce || tag?.dataset['nonce'] || undefined;
  const open = (): void => void openEditor(document, editorApi(api, token), nonce);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', open);
  else open();
}
