import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule, TestSpecification } from 'vitest/node';

/**
 * Ends a test run that has stopped making progress, naming the files that were running.
 *
 * Vitest's pool waits for each worker's "file finished" message without a deadline, so a worker
 * that wedges (it happened once in CI: no output for 80 minutes, then the job's time limit) holds
 * the run forever and says nothing about where. Per-test timeouts cannot help when the worker itself
 * no longer answers. This reporter runs in Vitest's main process: when no test file has finished for
 * `CANDOR_TEST_STALL_MS` (default 6 minutes; the slowest file takes under a minute alone), it prints
 * the files still running and for how long, writes every unfinished file to
 * `CANDOR_TEST_STALL_REPORT` (when set, so `.ci/run` can run exactly those once more, saying so),
 * and exits with STALL_EXIT_CODE. A run that finishes is never touched.
 */
export const STALL_EXIT_CODE = 75;

const DEFAULT_STALL_MS = 6 * 60_000;

function stallLimit(): number {
  const configured = Number(process.env['CANDOR_TEST_STALL_MS']);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_STALL_MS;
}

export default class StallWatchdog implements Reporter {
  private readonly limit = stallLimit();
  private readonly unfinished = new Set<string>();
  private readonly startedAt = new Map<string, number>();
  private lastProgress = Date.now();
  private timer: NodeJS.Timeout | undefined;

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    for (const specification of specifications) this.unfinished.add(specification.moduleId);
    this.lastProgress = Date.now();
    this.timer = setInterval(() => this.check(), Math.min(15_000, this.limit / 2));
    // The watchdog never keeps a finished run alive.
    this.timer.unref();
  }

  onTestModuleStart(testModule: TestModule): void {
    this.startedAt.set(testModule.moduleId, Date.now());
  }

  onTestModuleEnd(testModule: TestModule): void {
    this.unfinished.delete(testModule.moduleId);
    this.startedAt.delete(testModule.moduleId);
    this.lastProgress = Date.now();
  }

  onTestRunEnd(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const now = Date.now();
    if (now - this.lastProgress < this.limit) return;
    const name = (file: string): string => relative(process.cwd(), file);
    const running = [...this.startedAt].map(
      ([file, at]) => `  ${name(file)} (running for ${Math.round((now - at) / 1000)} s)`,
    );
    const report = [
      '',
      `STALLED: no test file finished for ${Math.round((now - this.lastProgress) / 1000)} s.`,
      'Still running:',
      ...(running.length > 0 ? running : ['  (none started: the pool itself is stuck)']),
      `Unfinished files: ${this.unfinished.size}.`,
      '',
    ].join('\n');
    process.stderr.write(report);
    const target = process.env['CANDOR_TEST_STALL_REPORT'];
    if (target !== undefined && target !== '') writeFileSync(target, [...this.unfinished].map(name).join('\n') + '\n');
    process.exit(STALL_EXIT_CODE);
  }
}
