import { describe, expect, it } from 'vitest';
import { base64Url, siteSnippet } from './snippet.js';

describe('the site snippet', () => {
  it('pins the public key as base64url JSON the SDK can parse', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' };
    const snippet = siteSnippet('https://candor.example', 'shop', jwk);
    const attribute = /data-public-key="([^"]+)"/.exec(snippet)?.[1] ?? '';
    expect(attribute).not.toMatch(/[+/=]/);
    expect(JSON.parse(Buffer.from(attribute, 'base64url').toString('utf8'))).toEqual(jwk);
    expect(snippet).toContain('src="https://candor.example/sdk/candor.js" data-site="shop"');
  });
  it('declares the site’s consent source and its map, escaped for a single-quoted attribute', () => {
    const snippet = siteSnippet('https://candor.example', 'shop', undefined, {
      name: 'cookieconsent',
      map: { "o'clock": ['measurement'] },
    });
    expect(snippet).toContain(`data-consent-source="cookieconsent" data-consent-map='{"o&#39;clock":["measurement"]}'`);
    expect(siteSnippet('https://candor.example', 'shop', undefined, { name: 'tcf', map: {} })).toContain(
      'data-consent-source="tcf"></script>',
    );
  });
  it('encodes non-ASCII text', () => {
    expect(Buffer.from(base64Url('網站'), 'base64url').toString('utf8')).toBe('網站');
  });
});
