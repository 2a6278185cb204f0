import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { API_REFERENCE_CSP } from './api-reference.js';

describe('the API reference at /docs/', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('references nothing outside this server and tells the browser to load nothing from elsewhere', async () => {
    const page = await t.app.inject('/docs/');
    expect(page.statusCode).toBe(200);
    // Every src/href/url() in the page is relative: the bundle and the OpenAPI document are served here.
    const references = [...page.body.matchAll(/(?:src|href)\s*=\s*"([^"]*)"|url\(\s*['"]?([^'")]*)/g)].map(
      (match) => match[1] ?? match[2] ?? '',
    );
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).not.toMatch(/^(?:[a-z]+:)?\/\//i);
    expect(page.body).not.toMatch(/fonts\.scalar\.com|cdn\.jsdelivr\.net/);
    expect(page.body).toContain('"withDefaultFonts": false');
    expect(page.headers['content-security-policy']).toBe(API_REFERENCE_CSP);
    expect(API_REFERENCE_CSP).not.toMatch(/https?:/);

    const bundle = await t.app.inject('/docs/js/scalar.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toContain('javascript');
  });
});
