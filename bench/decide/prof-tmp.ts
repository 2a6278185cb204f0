import { decide, type ConsentState, type Profile } from '@candor/core';
import { buildSnapshot, buildVisitors } from './workload.js';
const NOW = Date.UTC(2026, 10, 29);
const DAY = 86_400_000;
const snapshot = buildSnapshot();
const visitors = buildVisitors(5000);
const consent: ConsentState = {
  purposes: {
    personalization: { status: 'granted', at: NOW - DAY },
    measurement: { status: 'granted', at: NOW - DAY },
  },
  signals: {},
};
const inputs = visitors.map(
  (v) =>
    [
      {
        version: 1,
        visitorId: v.id,
        values: Object.fromEntries(
          Object.entries(v.stored).map(([k, value]) => [
            k,
            { value, source: 'declared', collectedAt: NOW - DAY, expiresAt: NOW + 30 * DAY },
          ]),
        ),
      } as Profile,
      { now: NOW, attributes: v.context },
    ] as const,
);
for (let r = 0; r < 3; r++) for (const [p, c] of inputs) decide(snapshot, p, consent, c);
