/** Machine-readable error codes; each maps to one HTTP status at the edge. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'lint_errors'
  | 'lint_warnings_unacknowledged'
  | 'snapshot_invalid'
  | 'consent_required'
  | 'unattributed'
  | 'implausible_growth'
  | 'unknown_reference'
  | 'database_unavailable'
  | 'busy'
  | 'internal';

const STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  lint_errors: 422,
  lint_warnings_unacknowledged: 422,
  snapshot_invalid: 422,
  consent_required: 403,
  unattributed: 401,
  implausible_growth: 429,
  unknown_reference: 422,
  database_unavailable: 503,
  busy: 503,
  internal: 500,
};

/** Extra members a problem may carry (RFC 9457 extensions). */
export interface ProblemExtensions {
  readonly errors?: readonly { path: string; message: string }[];
  readonly findings?: readonly unknown[];
}

/** The server's one error type: a code, a message saying what to fix, and optional details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}
