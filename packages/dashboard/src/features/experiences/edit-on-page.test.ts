import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editorPageUrl } from './edit-on-page.js';

describe('editorPageUrl', () => {
  const allowed = ['https://shop.example', 'http://127.0.0.1:5173'];
  it('accepts any path on an allowed origin and keeps it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allowed), fc.webPath(), (origin, path) => {
        const result = editorPageUrl(`${origin}${path}`, allowed);
        expect('url' in result && result.url.origin).toBe(origin);
      }),
    );
  });
  it('refuses other origins, look-alikes and text that is not a URL', () => {
    for (const url of [
      'https://evil.example/',
      'https://shop.example.evil.example/',
      'http://shop.example/',
      'shop',
      '',
    ])
      expect(editorPageUrl(url, allowed), url).toEqual({ problem: 'otherOrigin' });
  });
});
