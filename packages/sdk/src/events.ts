import type { Decision } from '@candor/core';
import type { ConsentView } from './consent/consent.js';

/** What `candor.on('error', fn)` receives: a code and a message, never visitor values. */
export interface CandorError {
  readonly code: CandorErrorCode;
  readonly message: string;
}

/** Every way the SDK can fall back to default content (plus core's decision error codes). */
export type CandorErrorCode =
  | 'SNAPSHOT_FETCH_FAILED'
  /** The server is up but refused this page's origin (not in the site's allowed origins). */
  | 'ORIGIN_NOT_ALLOWED'
  /** No `data-public-key`: the signature is checked against a key from the same server. */
  | 'KEY_NOT_PINNED'
  | 'SNAPSHOT_SIGNATURE_INVALID'
  | 'SNAPSHOT_FOREIGN_SITE'
  | 'SNAPSHOT_TIMEOUT'
  | 'KEY_MISSING'
  | 'STORAGE_CORRUPT'
  | 'LEDGER_FAILED'
  | 'REPORT_FAILED'
  | 'UI_LOAD_FAILED'
  /** The declared consent source could not start (unknown name, its chunk or API failed). */
  | 'CONSENT_SOURCE_FAILED'
  /** The declared CMP did not answer in time; what needs no consent shows meanwhile. */
  | 'CONSENT_SOURCE_SILENT'
  /** The consent map or the CMP's answer was unreadable; nothing is granted from it. */
  | 'CONSENT_SOURCE_INVALID'
  | 'SLOT_RENDER_FAILED'
  /** A page change kept being undone by the page's own scripts (a framework re-rendering); it was left to them. */
  | 'PAGE_CHANGE_GAVE_UP'
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_VERSION_UNSUPPORTED'
  | 'PROFILE_INVALID'
  | 'CONSENT_INVALID'
  | 'CONDITION_INVALID'
  | 'GENERAL';

/** The events `candor.on` accepts and what each handler receives. */
export interface CandorEvents {
  readonly decision: Decision;
  /** Every slot's decision, each time Candor decides again (start, consent, answers, removals). */
  readonly decisions: readonly Decision[];
  readonly consent: ConsentView;
  readonly error: CandorError;
}

/** A typed emitter. Events sent before anyone listens are kept and replayed to the first listener. */
export interface Emitter {
  on<K extends keyof CandorEvents>(event: K, handler: (payload: CandorEvents[K]) => void): () => void;
  emit<K extends keyof CandorEvents>(event: K, payload: CandorEvents[K]): void;
}

const BACKLOG_LIMIT = 50;

/** Creates an emitter whose handlers can throw without reaching the page or the SDK. */
export function createEmitter(): Emitter {
  const handlers = new Map<string, Set<(payload: never) => void>>();
  const backlog = new Map<string, unknown[]>();
  const call = (handler: (payload: never) => void, payload: unknown): void => {
    try {
      handler(payload as never);
    } catch {
      // A site's handler must not break rendering or the other handlers.
    }
  };
  return {
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as (payload: never) => void);
      const missed = backlog.get(event);
      backlog.delete(event);
      for (const payload of missed ?? []) call(handler as (payload: never) => void, payload);
      return () => void set.delete(handler as (payload: never) => void);
    },
    emit(event, payload) {
      const set = handlers.get(event);
      if (set && set.size > 0) {
        for (const handler of set) call(handler, payload);
        return;
      }
      const kept = backlog.get(event) ?? [];
      if (kept.length < BACKLOG_LIMIT) kept.push(payload);
      backlog.set(event, kept);
    },
  };
}
