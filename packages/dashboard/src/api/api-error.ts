import { Problem } from '@candor/schema';

/** A failed API call, carrying the server's problem+json when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? `The server answered ${status}.`);
  }

  /** The problem's machine code (`lint_errors`, `csrf_failed`…), or `http_<status>`. */
  get code(): string {
    return this.problem?.code ?? `http_${this.status}`;
  }
}

/** Reads a problem+json body; anything else becomes undefined so the caller falls back to the status. */
export function parseProblem(body: unknown): Problem | undefined {
  const parsed = Problem.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}
