import type { TestApp } from './test-app.js';

/** A registered visitor's credentials. */
export interface TestVisitor {
  readonly visitorId: string;
  readonly token: string;
  readonly auth: { authorization: string };
}

/** The SHA-256 of a notice text, as the SDK would send it. */
export const NOTICE_HASH = 'a'.repeat(64);

/** Registers a visitor on the test site. */
export async function registerTestVisitor(t: TestApp): Promise<TestVisitor> {
  const response = await t.app.inject({ method: 'POST', url: `/v1/sites/${t.siteKey}/visitors` });
  if (response.statusCode !== 201) throw new Error(`register: ${response.body}`);
  const { visitorId, token } = response.json() as { visitorId: string; token: string };
  return { visitorId, token, auth: { authorization: `Bearer ${token}` } };
}

/** Appends a consent event granting or denying the given purposes (`extra` adds fields, e.g. `purposeVersions`). */
export async function consent(
  t: TestApp,
  visitor: TestVisitor,
  purposes: Record<string, 'granted' | 'denied'>,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/visitor/consent',
    headers: { ...visitor.auth, ...headers },
    payload: {
      action: 'custom',
      purposes,
      source: 'prompt',
      uiVersion: 'sdk-0.1',
      noticeVersion: 'n1',
      noticeTextHash: NOTICE_HASH,
      language: 'en',
      policyVersion: '2026-01',
      ...extra,
    },
  });
  return { statusCode: response.statusCode, body: response.json() };
}
