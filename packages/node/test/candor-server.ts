import type { AddressInfo } from 'node:net';
import { createTestApp, HERO_EXPERIENCE, publishDraft, seedAndPublish, type TestApp } from '@candor/server/testing';
import type { PublicJwk } from '@candor/node';

type ExperienceDraft = typeof HERO_EXPERIENCE;

/** A real Candor server on 127.0.0.1 with the test site published once (`hero-dev` for developers). */
export interface RunningServer {
  readonly t: TestApp;
  readonly url: string;
  readonly publicKey: PublicJwk;
  /** Publishes the hero experience again with a new text; returns the new version. */
  republish(text: string): Promise<number>;
  /** Adds (or replaces) one experience in the draft and publishes; returns the new version. */
  publishExperience(experience: ExperienceDraft): Promise<number>;
  /** An API key with the publish scope (for aggregate batches). */
  apiKey(): Promise<string>;
}

export async function startCandorServer(): Promise<RunningServer> {
  const t = await createTestApp();
  await seedAndPublish(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const keys = await t.app.inject({ url: `/v1/sites/${t.siteKey}/keys` });
  const publicKey = (keys.json() as { keys: PublicJwk[] }).keys[0]!;
  return {
    t,
    url: `http://127.0.0.1:${port}`,
    publicKey,
    async republish(text) {
      const drafts = `/v1/admin/sites/${t.siteKey}/drafts/experiences/hero-dev`;
      const changed = {
        ...HERO_EXPERIENCE,
        variants: HERO_EXPERIENCE.variants.map((variant) => ({
          ...variant,
          content: { hero: { type: 'text', text: { en: text, 'zh-Hant': text } } },
        })),
      };
      const put = await t.app.inject({
        method: 'PUT',
        url: drafts,
        payload: changed as object,
        headers: t.as.editor.headers,
      });
      if (put.statusCode !== 200) throw new Error(`PUT: ${put.body}`);
      return (await publishDraft(t)).version;
    },
    async publishExperience(experience) {
      const put = await t.app.inject({
        method: 'PUT',
        url: `/v1/admin/sites/${t.siteKey}/drafts/experiences/${experience.id}`,
        payload: experience as object,
        headers: t.as.editor.headers,
      });
      if (put.statusCode !== 200) throw new Error(`PUT: ${put.body}`);
      return (await publishDraft(t)).version;
    },
    async apiKey() {
      const created = await t.app.inject({
        method: 'POST',
        url: '/v1/admin/api-keys',
        headers: t.as.owner.headers,
        payload: { name: 'node-sdk', scopes: ['read', 'publish'] },
      });
      if (created.statusCode !== 201) throw new Error(`api key: ${created.body}`);
      return (created.json() as { key: string }).key;
    },
  };
}
