import { describe, expect, it } from 'vitest';
import { createReporter } from '../src/measure/reporter.js';

function harness(
  answers: (number | 'throw' | Response)[],
  token: () => string | undefined | Promise<string | undefined> = async () => 'vis_1.secret',
) {
  const timers: (() => void)[] = [];
  const sent: { body: Record<string, unknown> & { batchId: string }; headers: Record<string, string> }[] = [];
  const failures: string[] = [];
  let id = 0;
  const reporter = createReporter({
    url: 'https://candor.example/v1/sites/s/reports',
    fetch: (async (_url: string, init: RequestInit) => {
      sent.push({ body: JSON.parse(String(init.body)), headers: init.headers as Record<string, string> });
      const answer = answers.shift() ?? 200;
      if (answer === 'throw') throw new Error('offline');
      return answer instanceof Response ? answer : new Response(null, { status: answer });
    }) as typeof fetch,
    randomId: () => `batch-${(id += 1)}`,
    token,
    setTimer: (fn) => timers.push(fn),
    backoffMs: [1, 2],
    onFailure: (message) => failures.push(message),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const tick = async () => {
    const due = timers.splice(0);
    for (const fn of due) fn();
    for (let i = 0; i < 5; i += 1) await settle();
  };
  return { reporter, sent, failures, tick };
}

const exposure = { experience: 'e', variant: 'v' };

describe('reporter', () => {
  it('batches events and sends them with the visitor token the server issued', async () => {
    const { reporter, sent, tick } = harness([200]);
    reporter.add({ exposures: [exposure] });
    reporter.add({ conversions: [{ metric: 'm', value: 1 }], trust: [{ experience: 'e', event: 'explanation_open' }] });
    await tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['authorization']).toBe('Bearer vis_1.secret');
    expect(sent[0]?.body).toEqual({
      batchId: 'batch-1',
      exposures: [exposure],
      conversions: [{ metric: 'm', value: 1 }],
      trust: [{ experience: 'e', event: 'explanation_open' }],
      left: [],
    });
  });

  it('retries a failed batch under the same id', async () => {
    const { reporter, sent, tick } = harness(['throw', 503, 200]);
    reporter.add({ exposures: [exposure] });
    await tick();
    await tick();
    await tick();
    expect(sent.map((entry) => entry.body.batchId)).toEqual(['batch-1', 'batch-1', 'batch-1']);
  });

  it('does not retry a refusal that cannot succeed, and says why instead of staying silent', async () => {
    const problem = new Response(
      JSON.stringify({ code: 'consent_required', detail: 'This visitor has not granted measurement.' }),
      {
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
      },
    );
    const { reporter, sent, failures, tick } = harness([problem]);
    reporter.add({ exposures: [exposure] });
    await tick();
    await tick();
    expect(sent).toHaveLength(1);
    expect(failures).toEqual(['report refused (403 consent_required): This visitor has not granted measurement.']);
  });

  it('sends nothing without a server-issued identity, and says so', async () => {
    const { reporter, sent, failures, tick } = harness([], async () => undefined);
    reporter.add({ exposures: [exposure] });
    await tick();
    expect(sent).toHaveLength(0);
    expect(failures[0]).toMatch(/no server identity/);
  });

  it('splits more events than one report may carry into several reports', async () => {
    const { reporter, sent, tick } = harness([]);
    reporter.add({ conversions: Array.from({ length: 150 }, () => ({ metric: 'm', value: 1 })) });
    await tick();
    expect(sent.map((entry) => (entry.body['conversions'] as unknown[]).length)).toEqual([100, 50]);
  });

  it('sends in the same task on flush when the token is at hand, so a report leaves before the page unloads', () => {
    const { reporter, sent } = harness([], () => 'vis_1.secret');
    reporter.add({ conversions: [{ metric: 'm', value: 1 }] });
    reporter.flush();
    // No await: the fetch must already have started (a pagehide handler gets no later chance).
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body['conversions']).toEqual([{ metric: 'm', value: 1 }]);
  });
});
