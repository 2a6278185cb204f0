// Snapshot HTML is site-authored, but a leaked admin session must not become script on every page:
// only an allowlist of inert elements and attributes survives; URLs must be http(s), mailto, tel or relative.
import { templateHtml } from './trusted-types.js';

const ALLOWED = new Set(
  'a,abbr,b,blockquote,br,caption,cite,code,dd,del,div,dl,dt,em,figcaption,figure,h1,h2,h3,h4,h5,h6,hr,i,img,ins,kbd,li,mark,ol,p,picture,pre,q,s,small,source,span,strong,sub,sup,table,tbody,td,tfoot,th,thead,time,tr,u,ul'.split(
    ',',
  ),
);
// Dropped with everything inside them; any other unknown element is unwrapped (its text stays).
const DROPPED = new Set(
  'script,style,iframe,frame,frameset,object,embed,template,noscript,svg,math,link,meta,base,form,input,button,select,textarea,dialog,portal'.split(
    ',',
  ),
);
// No `id` or `name`: an element with either becomes a property of window or document (DOM
// clobbering), so `<a id="__candorUi">` or `<img name="candor">` could shadow what scripts read there.
const ATTRIBUTES = new Set(
  'alt,cite,class,colspan,datetime,dir,headers,height,href,lang,loading,rel,rowspan,scope,sizes,src,srcset,target,title,width'.split(
    ',',
  ),
);
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);
const SAFE_URL = /^(?:https?:|mailto:|tel:|[^:]*$|[^:]*[/?#])/i;

/** Whether a URL attribute value is safe to keep (no `javascript:`, `data:` or `vbscript:`). */
export function safeUrl(value: string): boolean {
  // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return SAFE_URL.test(compact);
}

/**
 * Turns snapshot HTML into an inert fragment: parsed in a `<template>` (scripts never run, images
 * never load there), then rebuilt from the allowlist. Event handlers, `style`, `srcdoc`, forms,
 * `id`/`name` (DOM clobbering) and unsafe URLs never reach the page.
 */
export function sanitizeHtml(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = templateHtml(doc.defaultView, html);
  const out = doc.createDocumentFragment();
  copyChildren(doc, template.content, out);
  return out;
}

function copyChildren(doc: Document, from: ParentNode, to: Node): void {
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === 3) {
      to.appendChild(doc.createTextNode(node.textContent ?? ''));
      continue;
    }
    if (node.nodeType !== 1) continue;
    const element = node as Element;
    const name = element.localName;
    if (DROPPED.has(name)) continue;
    if (!ALLOWED.has(name) || element.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
      copyChildren(doc, element, to);
      continue;
    }
    const clean = doc.createElement(name);
    for (const attribute of Array.from(element.attributes)) {
      const key = attribute.name.toLowerCase();
      const allowed = ATTRIBUTES.has(key) || key.startsWith('aria-') || key.startsWith('data-');
      if (!allowed || (URL_ATTRIBUTES.has(key) && !safeUrl(attribute.value))) continue;
      if (key === 'srcset' && attribute.value.split(',').some((part) => !safeUrl(part.trim()))) continue;
      clean.setAttribute(key, attribute.value);
    }
    if (name === 'a' && clean.getAttribute('target') === '_blank') clean.setAttribute('rel', 'noopener noreferrer');
    copyChildren(doc, element, clean);
    to.appendChild(clean);
  }
}

/** Whether an attribute change from a snapshot may be applied to a slot element. */
export function safeAttribute(name: string, value: string): boolean {
  const key = name.toLowerCase();
  // id and name would let a variant shadow globals (DOM clobbering), as in sanitizeHtml.
  if (key.startsWith('on') || ['style', 'srcdoc', 'is', 'id', 'name', 'form'].includes(key)) return false;
  if (!/^[a-z][a-z0-9_.:-]*$/.test(key)) return false;
  if (['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'cite'].includes(key)) {
    return safeUrl(value);
  }
  return true;
}
