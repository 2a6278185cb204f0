/**
 * Decisions per second: Candor's decide (with and without explanation text) beside GrowthBook's
 * server-side evaluation of the same 50 conditions and bucketing, in one process, one run.
 *
 *   npm run bench            (from the repository root)
 *
 * Each engine decides all 50 experiences for every one of 100k visitors; we report the median of
 * several passes after a warm-up pass. Inputs are built before timing so only evaluation counts.
 */
import { GrowthBookClient } from '@growthbook/growthbook';
import { createExplainer, decide, type ConsentState, type DecisionContext, type Profile } from '@candor/core';
import { buildSnapshot, buildVisitors, growthbookFeatures, type Visitor } from './workload.js';

const VISITORS = Number(process.env['BENCH_VISITORS'] ?? 100_000);
const PASSES = Number(process.env['BENCH_PASSES'] ?? 3);
// Full explanations are slower to produce, so they are timed on a tenth of the visitors.
const EXPLAIN_SAMPLE = Math.max(1, Math.floor(VISITORS / 10));

const NOW = Date.UTC(2026, 10, 29);
const DAY = 86_400_000;

const snapshot = buildSnapshot();
const visitors = buildVisitors(VISITORS);
const consent: ConsentState = {
  purposes: {
    personalization: { status: 'granted', at: NOW - DAY },
    measurement: { status: 'granted', at: NOW - DAY },
  },
  signals: {},
};

const candorInputs = visitors.map((visitor): [Profile, DecisionContext] => [
  {
    version: 1,
    visitorId: visitor.id,
    values: Object.fromEntries(
      Object.entries(visitor.stored).map(([key, value]) => [
        key,
        { value, source: 'declared' as const, collectedAt: NOW - DAY, expiresAt: NOW + 30 * DAY },
      ]),
    ),
  },
  { now: NOW, attributes: visitor.context, languages: ['en'] },
]);

const growthbook = new GrowthBookClient({});
growthbook.initSync({ payload: { features: growthbookFeatures(snapshot) } });
const growthbookAttributes = visitors.map((visitor: Visitor) => ({
  id: visitor.id,
  ...visitor.stored,
  ...visitor.context,
}));
const featureKeys = snapshot.experiences.map((_, i) => `slot-${i}`);

function timeIt(
  label: string,
  count: number,
  run: () => number,
): { label: string; nsPerDecision: number; perSecond: number; checksum: number } {
  run(); // warm-up: JIT and, for Candor, the once-per-snapshot compilation
  const samples: number[] = [];
  let checksum = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const start = process.hrtime.bigint();
    checksum = run();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] as number;
  return { label, nsPerDecision: median / count, perSecond: (count / median) * 1e9, checksum };
}

const decisions = VISITORS * snapshot.experiences.length;
const results = [
  timeIt('GrowthBook 1.x evalFeature (50 features)', decisions, () => {
    let on = 0;
    for (const attributes of growthbookAttributes) {
      for (const key of featureKeys) if (growthbook.evalFeature(key, { attributes }).source === 'experiment') on++;
    }
    return on;
  }),
  timeIt('Candor decide, no explanation text', decisions, () => {
    let on = 0;
    for (const [profile, context] of candorInputs) {
      for (const decision of decide(snapshot, profile, consent, context)) if (decision.experienceId !== null) on++;
    }
    return on;
  }),
  timeIt(
    `Candor decide + full explanation text (${EXPLAIN_SAMPLE.toLocaleString('en')} visitors)`,
    EXPLAIN_SAMPLE * 50,
    () => {
      let length = 0;
      for (const [profile, context] of candorInputs.slice(0, EXPLAIN_SAMPLE)) {
        const why = createExplainer({ snapshot, profile, consent, context });
        for (const decision of decide(snapshot, profile, consent, context))
          length += why(decision).text.mainReason.length;
      }
      return length;
    },
  ),
];

const baseline = results[0]?.perSecond ?? 1;
const rows = results.map(
  (r) =>
    `| ${r.label} | ${Math.round(r.perSecond).toLocaleString('en')} | ${Math.round(r.nsPerDecision).toLocaleString('en')} | ${(r.perSecond / baseline).toFixed(2)}x |`,
);
process.stdout.write(
  [
    `Node ${process.version}, ${VISITORS.toLocaleString('en')} visitors x ${snapshot.experiences.length} experiences, median of ${PASSES} passes`,
    '',
    '| engine | decisions/s | ns/decision | vs GrowthBook |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
