import type { AttributeValue, Attributes, Language } from '@candor/core';
import type { RequestLike } from '@candor/node';
import type { EvaluationContext, EvaluationContextValue } from '@openfeature/core';

/**
 * What the server provider reads from an OpenFeature evaluation context. The visitor's consent and
 * profile come only from Candor's cookie; everything else is a request fact usable without consent.
 *
 * @example client.getStringValue('hero', 'default', { cookie: req.headers.cookie, acceptLanguage: req.headers['accept-language'] })
 */
export interface CandorEvaluationContext {
  /** The request's `Cookie` header (Candor reads only `candor_<siteKey>` from it). */
  readonly cookie?: string;
  readonly acceptLanguage?: string;
  /** `Sec-GPC: 1` was sent. */
  readonly gpc?: boolean;
  /** `DNT: 1` was sent. */
  readonly dnt?: boolean;
  /** The explanation's language, when the site picks it rather than Accept-Language. */
  readonly language?: Language;
  /** Values of the snapshot's context fields (page path, UTM, device class), by field key. */
  readonly attributes?: Readonly<Record<string, EvaluationContextValue>>;
}

/** A request and its context attributes, as @candor/node decides them. */
export interface ContextRequest {
  readonly request: RequestLike;
  readonly attributes: Attributes;
  readonly language?: Language;
}

const MAX_ATTRIBUTES = 64;

/** OpenFeature allows Dates and nesting; Candor's context fields hold JSON scalars and lists of them. */
function attributeValue(value: EvaluationContextValue): AttributeValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return value.filter((item): item is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof item),
    );
  return undefined;
}

/** Reads Candor's request from an evaluation context; keys of the wrong type are ignored, never trusted. */
export function contextRequest(context: EvaluationContext): ContextRequest {
  const headers: Record<string, string> = {};
  if (typeof context['cookie'] === 'string') headers['cookie'] = context['cookie'];
  if (typeof context['acceptLanguage'] === 'string') headers['accept-language'] = context['acceptLanguage'];
  if (context['gpc'] === true) headers['sec-gpc'] = '1';
  if (context['dnt'] === true) headers['dnt'] = '1';
  const given = context['attributes'];
  const attributes: Record<string, AttributeValue> = {};
  if (typeof given === 'object' && given !== null && !Array.isArray(given) && !(given instanceof Date)) {
    for (const [key, value] of Object.entries(given).slice(0, MAX_ATTRIBUTES)) {
      const converted = attributeValue(value);
      if (converted !== undefined) attributes[key] = converted;
    }
  }
  const language = context['language'];
  return {
    request: { headers },
    attributes,
    ...(language === 'en' || language === 'zh-Hant' ? { language } : {}),
  };
}
