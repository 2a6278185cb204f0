import { describe, expect, it } from 'vitest';
import { createReporter } from '../src/measure/reporter.js';

function harness(answers: (number | 'throw')[]) {
  const timers: (() => void)[] = [];
  const sent: { body: { batchId: string; visitorId?: string } }[] = [];
  let id = 0;
  const reporter = createReporter({
    url: 'https://candor.example/v1/sites/s/reports',
    fetch: (async (_url: string, init: RequestInit) => {
      sent.push({ body: JSON.parse(String(init.body)) });
      const answer = answers.shift() ?? 200;
      if (answer === 'throw') throw new Error('offline');
      return new Response(null, { status: answer });
    }) as typeof fetch,
    randomId: () => `batch-${(id += 1)}`,
    visitorId: () => undefined,
    setTimer: (fn) => timers.push(fn),
    backoffMs: [1, 2],
  });
  const tick = async () => {
    const due = timers.splice(0);
    for (const fn of due) fn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { reporter, sent, tick };
}

const delta = { experience: 'e', variant: 'v', metric: 'm', n: 1, sum: 0, sumSquares: 0 };

describe('reporter', () => {
  it('batches, and retries a failed batch under the same id', async () => {
    const { reporter, sent, tick } = harness(['throw', 503, 200]);
    reporter.add([delta]);
    reporter.add([delta]);
    await tick();
    await tick();
    await tick();
    expect(sent.map((entry) => entry.body.batchId)).toEqual(['batch-1', 'batch-1', 'batch-1']);
    expect(sent[0]?.body).toMatchObject({ deltas: [{ n: 2 }] });
  });

  it('does not retry a refusal that cannot succeed', async () => {
    const { reporter, sent, tick } = harness([400]);
    reporter.add([delta]);
    await tick();
    await tick();
    expect(sent).toHaveLength(1);
  });

  it('attaches no visitor id unless measurement gives one', async () => {
    const { reporter, sent, tick } = harness([200]);
    reporter.add([delta]);
    await tick();
    expect(sent[0]?.body.visitorId).toBeUndefined();
  });
});
