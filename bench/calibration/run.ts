// The calibration table in docs/statistics.md: every scenario through the server's analyseExperience,
// beside gbstats' method on the same simulated data. Usage (from the repository root):
//   npm run -w bench calibration            # 2,000 runs per scenario, seed 2026
//   CALIBRATION_RUNS=500 CALIBRATION_SEED=7 npm run -w bench calibration
import { PLANNED, SCENARIOS } from './scenarios.js';
import { runScenario, type Rate } from './simulate.js';

const runs = Number(process.env['CALIBRATION_RUNS'] ?? 2000);
const seed = Number(process.env['CALIBRATION_SEED'] ?? 2026);

const pct = (rate: Rate): string =>
  `${(100 * rate.rate).toFixed(1)} [${(100 * rate.low).toFixed(1)}, ${(100 * rate.high).toFixed(1)}]`;

const lines = [
  `Runs per scenario: ${runs}, seed ${seed}. Rates in %, [95% Wilson interval]. "gbstats" = the same cells judged as gbstats does (delta-method relative lift, Holm over goals only, guardrails and trust rows at raw α, SRM χ² < 0.001, released counts read as exact).`,
  '',
  '| scenario | any alarm: Candor | any alarm: gbstats | goal | guardrail harm | trust harm | SRM | goal up / down | relative CI coverage: Candor | gbstats |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
SCENARIOS.forEach((scenario, index) => {
  const result = runScenario(scenario, runs, seed + index);
  const { candor, gbstats } = result;
  lines.push(
    `| ${scenario.name} | ${pct(candor.any)} | ${pct(gbstats.any)} | ${pct(candor.goal)} | ${pct(candor.guardrail)} | ${pct(candor.trust)} | ${pct(candor.srm)} | ${pct(result.direction.up)} / ${pct(result.direction.down)} | ${pct(result.coverage.candor)} | ${pct(result.coverage.gbstats)} |`,
  );
  process.stderr.write(`${scenario.name}: done\n`);
});
lines.push(
  '',
  '| planner (2 arms, whole page) | promised power | delivered: Candor (goal significant, right direction) |',
  '|---|---|---|',
);
PLANNED.forEach((scenario, index) => {
  const result = runScenario(scenario, runs, seed + 100 + index);
  lines.push(`| ${scenario.name} | ${(100 * scenario.promisedPower).toFixed(0)} | ${pct(result.direction.up)} |`);
  process.stderr.write(`${scenario.name}: done\n`);
});
process.stdout.write(`${lines.join('\n')}\n`);
