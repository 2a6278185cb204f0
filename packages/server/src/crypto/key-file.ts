import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

/** Where the data key comes from: `CANDOR_SECRET` (plus optional previous secrets) or a key file. */
export interface KeySource {
  readonly secret?: string;
  readonly previousSecrets?: readonly string[];
  readonly keyFile: string;
}

/** Loads the keyring, creating the key file with a random key on first start when no secret is set. */
export function loadKeyring(source: KeySource): Keyring {
  if (source.secret !== undefined && source.secret !== '') {
    const fileKeys: DataKey[] = existsSync(source.keyFile)
      ? [read(source.keyFile).current, ...read(source.keyFile).previous]
      : [];
    return {
      current: keyFromSecret(source.secret),
      previous: [...(source.previousSecrets ?? []).map(keyFromSecret), ...fileKeys],
    };
  }
  if (!existsSync(source.keyFile)) write(source.keyFile, { current: randomDataKey(), previous: [] });
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
