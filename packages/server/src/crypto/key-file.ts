import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative as pathRelative, resolve } from 'node:path';
import { dataKey, keyFromSecret, randomDataKey, type DataKey, type Keyring } from './keyring.js';

interface KeyFileShape {
  readonly current: string;
  readonly previous: readonly string[];
}

function write(path: string, keyring: Keyring): void {
  mkdirSync(dirname(path), { recursive: true });
  const shape: KeyFileShape = {
    current: keyring.current.key.toString('base64'),
    previous: keyring.previous.map((key) => key.key.toString('base64')),
  };
  // Write then rename, so a crash never leaves a half-written key file (that would lose every value).
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(shape, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  chmodSync(path, 0o600);
}

function read(path: string): Keyring {
  const shape = JSON.parse(readFileSync(path, 'utf8')) as KeyFileShape;
  return {
    current: dataKey(Buffer.from(shape.current, 'base64')),
    previous: shape.previous.map((key) => dataKey(Buffer.from(key, 'base64'))),
  };
}

/**
 * Where the data key comes from, first match wins: `CANDOR_DATA_KEY` (32 raw bytes, base64),
 * `CANDOR_SECRET` (a passphrase), or a key file (created with a random key on first start).
 */
export interface KeySource {
  readonly dataKey?: string;
  readonly previousDataKeys?: readonly string[];
  readonly secret?: string;
  readonly previousSecrets?: readonly string[];
  readonly keyFile: string;
}

/** Reads a `CANDOR_DATA_KEY`-style key: 32 random bytes in base64 (or base64url). */
export function dataKeyFromBase64(text: string, name: string): DataKey {
  const bytes = Buffer.from(text.trim(), 'base64');
  if (bytes.length !== 32) {
    throw new Error(
      `${name} must be 32 random bytes in base64 (make one with: openssl rand -base64 32); it decodes to ${bytes.length} bytes.`,
    );
  }
  return dataKey(bytes);
}

function keysOfFile(path: string): DataKey[] {
  if (!existsSync(path)) return [];
  const keyring = read(path);
  return [keyring.current, ...keyring.previous];
}

/** Loads the keyring, creating the key file with a random key on first start when no key is configured. */
export function loadKeyring(source: KeySource): Keyring {
  const secret = source.secret === '' ? undefined : source.secret;
  const environmentKey = source.dataKey === '' ? undefined : source.dataKey;
  if (environmentKey !== undefined && secret !== undefined) {
    throw new Error('Set one of CANDOR_DATA_KEY and CANDOR_SECRET, not both (list an old one as a previous key).');
  }
  // Every configured previous key opens what it sealed, and so does a key file left from before the
  // key moved to the environment, so changing where the key lives never loses a value.
  const previous = (): DataKey[] => [
    ...(source.previousDataKeys ?? []).map((key) => dataKeyFromBase64(key, 'CANDOR_PREVIOUS_DATA_KEYS')),
    ...(source.previousSecrets ?? []).map(keyFromSecret),
    ...keysOfFile(source.keyFile),
  ];
  if (environmentKey !== undefined) {
    return { current: dataKeyFromBase64(environmentKey, 'CANDOR_DATA_KEY'), previous: previous() };
  }
  if (secret !== undefined) return { current: keyFromSecret(secret), previous: previous() };
  if (!existsSync(source.keyFile)) {
    try {
      write(source.keyFile, { current: randomDataKey(), previous: [] });
    } catch (error) {
      throw new Error(
        `Cannot create the data key file ${source.keyFile} (${(error as { code?: string }).code ?? String(error)}): ` +
          'make its directory writable, point CANDOR_DATA_KEY_FILE somewhere writable, or set CANDOR_DATA_KEY.',
        { cause: error },
      );
    }
  }
  return read(source.keyFile);
}

/** Starts a rotation in the key file: a new current key, the old one kept until every value is re-sealed. */
export function beginKeyFileRotation(keyFile: string): Keyring {
  const old = read(keyFile);
  const next: Keyring = { current: randomDataKey(), previous: [old.current, ...old.previous] };
  write(keyFile, next);
  return next;
}

/** Finishes a rotation: drops keys no value is sealed with any more. */
export function finishKeyFileRotation(keyFile: string): void {
  const keyring = read(keyFile);
  write(keyFile, { current: keyring.current, previous: [] });
}

/** Where the key file is, and whether it sits inside the data directory (beside the database). */
export interface KeyFileLocation {
  readonly path: string;
  readonly besideData: boolean;
}

/**
 * The key file: `CANDOR_DATA_KEY_FILE` when set; else `<dataDir>/candor.key` when an older install
 * made it there (moving it silently could lose it); else `<dataDir>.key`, beside the data directory
 * rather than in it, so a copy or backup of the directory does not carry the key that opens it.
 */
export function keyFileLocation(dataDir: string, configured: string | undefined): KeyFileLocation {
  const inside = (path: string): boolean => {
    const relative = pathRelative(dataDir, path);
    return relative !== '' && !relative.startsWith('..') && !isAbsolute(relative);
  };
  if (configured !== undefined && configured !== '') {
    const path = resolve(configured);
    return { path, besideData: inside(path) };
  }
  const legacy = join(dataDir, 'candor.key');
  if (existsSync(legacy)) return { path: legacy, besideData: true };
  return { path: `${dataDir.replace(/[/\\]+$/, '')}.key`, besideData: false };
}
