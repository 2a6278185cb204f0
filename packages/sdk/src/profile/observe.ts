import type { AttributeValue, Field } from '@candor/core';

/** What a page offers for context and observed signals. */
export interface PageFacts {
  readonly path: string;
  readonly language: string;
  readonly device: 'mobile' | 'tablet' | 'desktop';
  readonly utm: Readonly<Record<'utmSource' | 'utmMedium' | 'utmCampaign' | 'utmContent', string | undefined>>;
  /** `<meta name="candor:category" content="docs">`: the page's category, if the site declares one. */
  readonly category: string | undefined;
  readonly referrerHost: string | undefined;
}

/** Reads the facts of this page view. Nothing here is stored: it is this visit's context. */
export function readPage(win: Window): PageFacts {
  const doc = win.document;
  const url = new URL(win.location.href);
  const utm = (name: string): string | undefined => url.searchParams.get(name)?.slice(0, 200) || undefined;
  const width = win.innerWidth;
  const coarse = win.matchMedia?.('(pointer: coarse)').matches === true;
  let referrerHost: string | undefined;
  try {
    referrerHost = doc.referrer ? new URL(doc.referrer).host : undefined;
  } catch {
    referrerHost = undefined;
  }
  return {
    path: url.pathname,
    language: doc.documentElement.lang || win.navigator.language || '',
    device: coarse && width < 768 ? 'mobile' : coarse ? 'tablet' : 'desktop',
    utm: {
      utmSource: utm('utm_source'),
      utmMedium: utm('utm_medium'),
      utmCampaign: utm('utm_campaign'),
      utmContent: utm('utm_content'),
    },
    category: doc.querySelector('meta[name="candor:category"]')?.getAttribute('content') ?? undefined,
    referrerHost,
  };
}

/** Context attributes by well-known key: a `context` field with one of these keys reads it. */
export function contextAttributes(page: PageFacts): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = { path: page.path, language: page.language, device: page.device };
  for (const [key, value] of Object.entries(page.utm)) if (value !== undefined) out[key] = value;
  if (page.category !== undefined) out['category'] = page.category;
  return out;
}

/**
 * The observed value of a well-known `observed` field after this page view, or `undefined` when
 * the page says nothing new. The caller records it only while the field's purpose is granted.
 */
export function observedValue(
  field: Field,
  page: PageFacts,
  previous: AttributeValue | undefined,
): AttributeValue | undefined {
  switch (field.key) {
    case 'viewedCategories': {
      if (page.category === undefined) return undefined;
      const seen = Array.isArray(previous) ? (previous as string[]) : [];
      return seen.includes(page.category) ? undefined : [...seen, page.category].slice(-20);
    }
    case 'returningVisitor':
      return previous === undefined ? false : true;
    case 'utmSource':
    case 'utmCampaign':
      return page.utm[field.key] ?? undefined;
    case 'device':
      return page.device;
    case 'language':
      return page.language || undefined;
    default:
      return undefined;
  }
}
