import { describe, expect, it } from 'vitest';
import { open, randomDataKey, seal } from './keyring.js';
import { hashPassword, verifyPassword } from './password.js';
import { createSigningKeyPair, signBytes, verifyBytes } from './signing.js';

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, and never a malformed hash', async () => {
    const stored = await hashPassword('correct horse battery staple', 14);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });

  it('uses OWASP cost (N = 2^17) by default', async () => {
    expect(await hashPassword('p')).toMatch(/^scrypt\$131072\$/);
  });
});

describe('sealed values (AES-256-GCM)', () => {
  const keyring = { current: randomDataKey(), previous: [] };

  it('opens what it sealed, in its own context only', () => {
    const sealed = seal(keyring, 'developer', 'value:v1:role');
    expect(sealed).not.toContain('developer');
    expect(open(keyring, sealed, 'value:v1:role')).toBe('developer');
    expect(() => open(keyring, sealed, 'value:v2:role')).toThrow();
  });

  it('refuses a tampered value and an unknown key', () => {
    const sealed = seal(keyring, 'developer', 'c');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => open(keyring, parts.join('.'), 'c')).toThrow();
    expect(() => open({ current: randomDataKey(), previous: [] }, sealed, 'c')).toThrow(/unknown key/);
  });
});

describe('snapshot signing', () => {
  it('verifies its own signature and refuses changed bytes', () => {
    const keys = createSigningKeyPair('k1');
    const bytes = Buffer.from('{"version":1}');
    const signature = signBytes(keys.privateKeyPem, bytes);
    expect(verifyBytes(keys.publicJwk, bytes, signature)).toBe(true);
    expect(verifyBytes(keys.publicJwk, Buffer.from('{"version":2}'), signature)).toBe(false);
  });
});
