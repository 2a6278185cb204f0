import type { Purpose } from '@candor/core';
import type { ConsentRecord } from '@candor/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAndPublish } from '../../testing/seed.js';
import { createTestApp, type TestApp } from '../../testing/test-app.js';
import { consent, registerTestVisitor, type TestVisitor } from '../../testing/visitor-flow.js';
import { effectiveGrants, overrideGrants, requestSignals, signalOn } from './signals.js';

const text = { en: 'x', 'zh-Hant': 'x' };
const purpose = (id: string, kind: Purpose['class']): Purpose => ({
  id,
  class: kind,
  name: text,
  description: text,
  legalBasis: 'consent',
});
const PURPOSES = [
  purpose('personalization', 'behavioural'),
  purpose('sync', 'behavioural'),
  purpose('measurement', 'measurement'),
  purpose('partners', 'cross_site'),
];
const OFF = { gpc: false, dnt: false };
const GPC = { gpc: true, dnt: false };

function record(
  purposes: ConsentRecord['purposes'],
  signals: ConsentRecord['signals'],
  createdAt = 1000,
): ConsentRecord {
  return {
    consentId: 'cns_1',
    createdAt,
    updatedAt: createdAt,
    action: 'custom',
    purposes,
    source: 'prompt',
    uiVersion: 'u',
    noticeVersion: 'n',
    noticeTextHash: 'a'.repeat(64),
    language: 'en',
    policyVersion: 'p',
    signals,
    expiresAt: createdAt + 10_000,
    previousHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };
}

describe('privacy signals (docs/privacy.md §1)', () => {
  it('reads a signal as on only for the exact value 1, any repeated header equal to 1 winning', () => {
    expect(signalOn('1')).toBe(true);
    expect(signalOn('0, 1')).toBe(true);
    expect(signalOn(['0', '1'])).toBe(true);
    expect(signalOn('true')).toBe(false);
    expect(signalOn('10')).toBe(false);
    expect(signalOn(undefined)).toBe(false);
    expect(requestSignals({ 'sec-gpc': '0' }, true)).toEqual({ gpc: true, dnt: false });
    expect(requestSignals({ dnt: '1' })).toEqual({ gpc: false, dnt: true });
  });

  it('turns a cross-site grant into a denial under GPC or DNT and names the signal; behavioural grants stand', () => {
    const choices = { personalization: 'granted', partners: 'granted', measurement: 'granted' } as const;
    expect(overrideGrants(PURPOSES, choices, GPC)).toEqual({
      purposes: { personalization: 'granted', partners: 'denied', measurement: 'granted' },
      overriddenBy: { partners: 'gpc' },
    });
    expect(overrideGrants(PURPOSES, choices, { gpc: false, dnt: true }).overriddenBy).toEqual({ partners: 'dnt' });
    expect(overrideGrants(PURPOSES, choices, OFF)).toEqual({ purposes: choices, overriddenBy: {} });
  });

  it('a signal that arrives after the choice outranks its behavioural grants; measurement is untouched', () => {
    const before = record({ personalization: 'granted', sync: 'granted', measurement: 'granted' }, OFF);
    expect([...effectiveGrants(PURPOSES, before, OFF, 5000)].sort()).toEqual([
      'measurement',
      'personalization',
      'sync',
    ]);
    expect([...effectiveGrants(PURPOSES, before, GPC, 5000)]).toEqual(['measurement']);
  });

  it('a choice made with the signal on stands, and a later request without it is never an opt-in', () => {
    const under = record(
      { personalization: 'granted', sync: 'granted', partners: 'granted' },
      { gpc: true, dnt: false },
    );
    expect([...effectiveGrants(PURPOSES, under, GPC, 5000)].sort()).toEqual(['personalization', 'sync']);
    expect([...effectiveGrants(PURPOSES, under, OFF, 5000)].sort()).toEqual(['personalization', 'sync']);
    expect(effectiveGrants(PURPOSES, undefined, OFF, 5000).size).toBe(0);
  });
});

describe('GPC on every route that receives personal data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const partners = { ...purpose('partners', 'cross_site'), name: { en: 'Partners', 'zh-Hant': '合作夥伴' } };
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/admin/sites/${t.siteKey}/drafts/purposes/partners`,
      payload: partners,
      headers: t.as.editor.headers,
    });
    expect(put.statusCode, put.body).toBe(200);
    await seedAndPublish(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const putRole = (visitor: TestVisitor, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'PUT',
      url: '/v1/visitor/data/role',
      headers: { ...visitor.auth, ...headers },
      payload: { value: 'developer' },
    });

  it('records a cross-site grant made under Sec-GPC: 1 as denied, and that the signal did it', async () => {
    const visitor = await registerTestVisitor(t);
    const response = await consent(
      t,
      visitor,
      { personalization: 'granted', partners: 'granted', measurement: 'granted' },
      { 'sec-gpc': '1' },
    );
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({
      purposes: { personalization: 'granted', partners: 'denied', measurement: 'granted' },
      signalOverrides: { partners: 'gpc' },
      signals: { gpc: true, dnt: false },
    });
    const data = (await t.app.inject({ url: '/v1/visitor/data', headers: visitor.auth })).json() as {
      consent: ConsentRecord[];
    };
    expect(data.consent.at(-1)?.signalOverrides).toEqual({ partners: 'gpc' });
    const verify = await t.app.inject({
      url: `/v1/admin/sites/${t.siteKey}/ledger/verify`,
      headers: t.as.viewer.headers,
    });
    expect(verify.json()).toMatchObject({ intact: true });
  });

  it('records no override without a signal', async () => {
    const visitor = await registerTestVisitor(t);
    const response = await consent(t, visitor, { partners: 'granted' });
    expect(response.body['purposes']).toEqual({ partners: 'granted' });
    expect(response.body).not.toHaveProperty('signalOverrides');
  });

  it('refuses a server value under Sec-GPC: 1 when sync was granted before the signal', async () => {
    const visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' });
    const refused = await putRole(visitor, { 'sec-gpc': '1' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'consent_required' });
    expect(refused.json().detail).toContain('Global Privacy Control');
    expect(await t.storage.listValues(visitor.visitorId)).toHaveLength(0);
    expect((await putRole(visitor)).statusCode).toBe(204);
  });

  it('keeps a server value when sync was granted with the signal on, even once the signal is gone', async () => {
    const visitor = await registerTestVisitor(t);
    await consent(t, visitor, { personalization: 'granted', sync: 'granted' }, { 'sec-gpc': '1' });
    expect((await putRole(visitor, { 'sec-gpc': '1' })).statusCode).toBe(204);
    expect((await putRole(visitor)).statusCode).toBe(204);
  });

  it('serves /.well-known/gpc.json over real HTTP, readable from any origin', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/.well-known/gpc.json`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { gpc: boolean; lastUpdate: string };
    expect(body.gpc).toBe(true);
    expect(body.lastUpdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
