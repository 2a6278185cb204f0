import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root: child servers run from there so `--import tsx` resolves. */
export const REPO_ROOT = resolve(here, '../../../..');
const CLI = resolve(here, '../../src/cli.ts');

/** A server running in its own process. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** SIGKILL, no shutdown hooks: what a crash looks like. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `candor start` from source in a child process and waits for its "listening on" line. */
export async function spawnServer(env: Readonly<Record<string, string>>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--conditions=@candor/source', '--import', 'tsx', CLI, 'start'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'warn', CANDOR_RETENTION_MINUTES: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 20 s:\n${output}`)), 20_000);
    const check = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      // The health line is the last one start prints.
      if (match?.[1] !== undefined && output.includes('health:')) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
