import type { TestApp } from './test-app.js';
import { HERO_EXPERIENCE, REVENUE_METRIC, ROLE_FIELD, SIGNUP_METRIC } from './fixtures.js';

/** Puts a clean draft (field, audience, metrics, experience) and publishes it; returns the publish response body. */
export async function seedAndPublish(t: TestApp): Promise<{ version: number }> {
  const base = `/v1/admin/sites/${t.siteKey}/drafts`;
  const puts: [string, unknown][] = [
    [`${base}/fields/role`, ROLE_FIELD],
    [`${base}/audiences/developers`, { id: 'developers', name: 'Developers', condition: { role: 'developer' } }],
    [`${base}/metrics/revenue`, REVENUE_METRIC],
    [`${base}/metrics/signup`, SIGNUP_METRIC],
    [`${base}/experiences/hero-dev`, HERO_EXPERIENCE],
  ];
  for (const [url, payload] of puts) {
    const response = await t.app.inject({
      method: 'PUT',
      url,
      payload: payload as object,
      headers: t.as.editor.headers,
    });
    if (response.statusCode !== 200) throw new Error(`PUT ${url}: ${response.statusCode} ${response.body}`);
  }
  return publishDraft(t);
}

/**
 * Publishes the site's current draft as an editor does: lint, acknowledge every warning, publish.
 * Returns the publish response body; throws with the server's answer if publishing is refused.
 */
export async function publishDraft(t: TestApp): Promise<{ version: number }> {
  const lint = await t.app.inject({
    method: 'POST',
    url: `/v1/admin/sites/${t.siteKey}/lint`,
    headers: t.as.editor.headers,
  });
  const acknowledge = (lint.json() as { findings: { fingerprint: string; severity: string }[] }).findings
    .filter((finding) => finding.severity === 'warning')
    .map((finding) => finding.fingerprint);
  const published = await t.app.inject({
    method: 'POST',
    url: `/v1/admin/sites/${t.siteKey}/publish`,
    payload: { acknowledge },
    headers: t.as.editor.headers,
  });
  if (published.statusCode !== 201) throw new Error(`publish: ${published.statusCode} ${published.body}`);
  return published.json();
}
