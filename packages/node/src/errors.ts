/** What went wrong while keeping the snapshot fresh or reporting; the client keeps serving meanwhile. */
export type CandorNodeErrorCode =
  | 'SNAPSHOT_FETCH_FAILED'
  | 'SNAPSHOT_SIGNATURE_INVALID'
  | 'SNAPSHOT_FOREIGN_SITE'
  | 'SNAPSHOT_INVALID'
  | 'KEY_MISSING'
  | 'CACHE_UNREADABLE'
  | 'LIVE_UPDATES_FAILED'
  | 'REPORT_FAILED'
  | 'REPORT_REFUSED';

/** An error the client reports through `onError`; the message says what to do next. */
export interface CandorNodeError {
  readonly code: CandorNodeErrorCode;
  readonly message: string;
}
