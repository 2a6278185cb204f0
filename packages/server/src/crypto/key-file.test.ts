import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { dataKeyNotice } from '../main.js';
import { keyFileLocation, loadKeyring } from './key-file.js';
import { open, randomDataKey, seal } from './keyring.js';

// Issue 11 item 4: the data key must not sit unprotected beside the data by default.

describe('where the data key lives', () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'candor-key-'));
    dataDir = join(root, 'candor-data');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("creates a fresh install's key file outside the data directory, readable by the owner only", () => {
    const location = keyFileLocation(dataDir, undefined);
    expect(location).toEqual({ path: join(root, 'candor-data.key'), besideData: false });
    const keyring = loadKeyring({ keyFile: location.path });
    expect(existsSync(location.path)).toBe(true);
    expect(statSync(location.path).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dataDir, 'candor.key'))).toBe(false);
    // The same file gives the same key on the next start.
    expect(loadKeyring({ keyFile: location.path }).current.id).toBe(keyring.current.id);
  });

  it("keeps using an older install's key file inside the data directory, and the banner says to move it", () => {
    mkdirSync(dataDir, { recursive: true });
    const legacy = join(dataDir, 'candor.key');
    const keyring = loadKeyring({ keyFile: legacy });
    expect(keyFileLocation(dataDir, undefined)).toEqual({ path: legacy, besideData: true });
    expect(loadKeyring({ keyFile: keyFileLocation(dataDir, undefined).path }).current.id).toBe(keyring.current.id);
    const banner = dataKeyNotice(loadConfig({ CANDOR_DATA_DIR: dataDir })).join('\n');
    expect(banner).toContain('warning');
    expect(banner).toContain('CANDOR_DATA_KEY_FILE');
  });

  it('uses CANDOR_DATA_KEY_FILE wherever it points, and flags one inside the data directory', () => {
    const elsewhere = join(root, 'secrets', 'candor.key');
    expect(keyFileLocation(dataDir, elsewhere)).toEqual({ path: elsewhere, besideData: false });
    expect(keyFileLocation(dataDir, join(dataDir, 'k.key')).besideData).toBe(true);
    const config = loadConfig({ CANDOR_DATA_DIR: dataDir, CANDOR_DATA_KEY_FILE: elsewhere });
    expect(dataKeyNotice(config).join('\n')).toContain(elsewhere);
    expect(dataKeyNotice(config).join('\n')).not.toContain('warning');
  });

  it('takes the key itself from CANDOR_DATA_KEY, still opening what the old key file sealed', () => {
    const keyFile = join(root, 'old.key');
    const fileKeyring = loadKeyring({ keyFile });
    const sealed = seal(fileKeyring, 'developer', 'value:v:role');
    const environmentKey = randomDataKey();
    const keyring = loadKeyring({ dataKey: environmentKey.key.toString('base64'), keyFile });
    expect(keyring.current.id).toBe(environmentKey.id);
    expect(open(keyring, sealed, 'value:v:role')).toBe('developer');
    // No key file is created when the key comes from the environment.
    const unused = join(root, 'never.key');
    loadKeyring({ dataKey: environmentKey.key.toString('base64'), keyFile: unused });
    expect(existsSync(unused)).toBe(false);
    expect(dataKeyNotice(loadConfig({ CANDOR_DATA_KEY: 'x' }))).toEqual(['[candor] data key: from CANDOR_DATA_KEY']);
  });

  it('refuses a malformed key and two competing keys, saying what to do', () => {
    const keyFile = join(root, 'k.key');
    expect(() => loadKeyring({ dataKey: 'c2hvcnQ=', keyFile })).toThrow(/32 random bytes.*openssl rand -base64 32/);
    const key = randomDataKey().key.toString('base64');
    expect(() => loadKeyring({ dataKey: key, secret: 'passphrase', keyFile })).toThrow(/one of CANDOR_DATA_KEY/);
    expect(() => loadKeyring({ dataKey: key, previousDataKeys: ['nope'], keyFile })).toThrow(
      /CANDOR_PREVIOUS_DATA_KEYS/,
    );
  });

  it('says which file it could not create and how to place the key elsewhere', () => {
    // A regular file where the key file's directory should be (a permission test would pass as root).
    const blocked = join(root, 'a-file');
    loadKeyring({ keyFile: blocked });
    expect(() => loadKeyring({ keyFile: join(blocked, 'candor.key') })).toThrow(/CANDOR_DATA_KEY_FILE|CANDOR_DATA_KEY/);
  });
});
