// The shipped bundles: the client entry is the React Server Components boundary, the server entry
// carries nothing a server cannot run, and bytes have a budget (docs/architecture.md code habit 9).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReact, type BuiltEntry } from '../build/build-react.js';

// Measured 1,638 B gzip when the package was added; a ratchet with a little room that may only go down.
// Raised by 80 (→ 1,780; measured 1,638 → 1,712) when React-rendered experiment slots turned out to
// be unmeasured: `useExposure` hands a slot's element to `candor.expose` from an effect, and
// `<CandorSlot>` uses it, so an A/B test rendered by React counts its exposures and conversions.
const CLIENT_RATCHET = 1_780;

describe('@candor/react bundles', { timeout: 60_000 }, () => {
  let built: { readonly client: BuiltEntry; readonly server: BuiltEntry };
  beforeAll(async () => {
    built = await buildReact(mkdtempSync(join(tmpdir(), 'candor-react-')));
  });

  it("marks the client entry 'use client', so a Server Component can import the provider boundary", () => {
    expect(readFileSync(built.client.file, 'utf8')).toMatch(/^["']use client["'];/);
  });

  it('keeps React, the SDK and any browser global out of the server entry', () => {
    const server = readFileSync(built.server.file, 'utf8');
    expect(server).not.toMatch(/["']use client["']/);
    expect(server).not.toMatch(/from\s*["'](react|react-dom|@candor\/sdk)["']/);
    expect(server).not.toMatch(/\b(window|document|localStorage|sessionStorage)\b/);
  });

  it(`keeps the client entry within ${CLIENT_RATCHET} B gzip (React, core and the SDK are external)`, () => {
    expect(built.client.gzip).toBeLessThanOrEqual(CLIENT_RATCHET);
  });
});
