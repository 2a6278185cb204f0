/**
 * localStorage behind a narrow interface: every read survives corrupt JSON or a blocked storage
 * (Safari private mode, sandboxed iframes) by answering `undefined`, so bad input never breaks a page.
 */
export interface KeyValueStore {
  read(key: string): unknown;
  write(key: string, value: unknown): boolean;
  remove(key: string): void;
}

/** A store over `localStorage` with every key under `candor.<siteKey>.`. */
export function localStore(siteKey: string, storage: Storage | undefined = safeLocalStorage()): KeyValueStore {
  const prefix = `candor.${siteKey}.`;
  return {
    read(key) {
      try {
        const text = storage?.getItem(prefix + key);
        return text == null ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      try {
        storage?.setItem(prefix + key, JSON.stringify(value));
        return storage !== undefined;
      } catch {
        return false;
      }
    },
    remove(key) {
      try {
        storage?.removeItem(prefix + key);
      } catch {
        // Nothing to undo: a storage that refuses removal never held the key for us.
      }
    },
  };
}

/** An in-memory store (tests, and pages where storage is not allowed yet). */
export function memoryStore(): KeyValueStore & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    read: (key) => {
      const text = data.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    write: (key, value) => (data.set(key, JSON.stringify(value)), true),
    remove: (key) => void data.delete(key),
  };
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** A plain object check for untrusted JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
