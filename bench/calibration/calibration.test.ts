// The fixed-seed subset of the calibration suite that runs with `npm test`: each A/A results page goes
// through the server's analyseExperience, and a test fails when a rate's 95% Monte-Carlo interval lies
// wholly above its target (the page raises alarms more often than its error budget allows).
import { describe, expect, it } from 'vitest';
import { ALPHA, plannedScenario } from './scenarios.js';
import { runScenario, type Scenario } from './simulate.js';

const conversion = { kind: 'proportion', rate: 0.1 } as const;

const cases: readonly { scenario: Scenario; runs: number }[] = [
  {
    scenario: { name: '5 arms, conversion, n 200', arms: 5, perArm: 200, goal: conversion, engine: 'frequentist' },
    runs: 300,
  },
  {
    scenario: {
      name: '5 arms, revenue, n 200, Bayesian',
      arms: 5,
      perArm: 200,
      goal: { kind: 'revenue' },
      engine: 'bayesian',
    },
    runs: 250,
  },
  {
    scenario: {
      name: '3 arms, conversion, n 1000, DP ε 10',
      arms: 3,
      perArm: 1000,
      goal: conversion,
      engine: 'frequentist',
      epsilon: 10,
    },
    runs: 150,
  },
  {
    scenario: {
      name: '2 arms, 2% conversion, n 2000, sequential, 5 looks',
      arms: 2,
      perArm: 2000,
      goal: { kind: 'proportion', rate: 0.02 },
      engine: 'sequential',
      looks: 5,
    },
    runs: 100,
  },
];

// Each case takes a few seconds on one core; the timeout only leaves room for a machine that is busy.
describe('calibration subset (fixed seed)', { timeout: 60_000 }, () => {
  it.each(cases)('an A/A page ($scenario.name) raises no alarm of any kind in ≥ 95% of runs', ({ scenario, runs }) => {
    const result = runScenario(scenario, runs, 2026);
    expect(result.candor.any.low).toBeLessThanOrEqual(ALPHA);
  });

  it('detects per-group error control: gbstats’ way on the same 5-arm pages alarms far more than 5%', () => {
    const result = runScenario(cases[0]!.scenario, 300, 2026);
    expect(result.gbstats.any.low).toBeGreaterThan(ALPHA);
  });

  it('covers a zero lift with the relative interval about 95% of the time (2 arms, 10% conversion, n 200)', () => {
    const result = runScenario(
      { name: 'coverage', arms: 2, perArm: 200, goal: conversion, engine: 'frequentist' },
      400,
      7,
    );
    expect(result.coverage.candor.low).toBeLessThanOrEqual(0.95);
    expect(result.coverage.candor.high).toBeGreaterThanOrEqual(0.95);
  });

  it("delivers the planner's promised power at the planned n, through the whole page", () => {
    const scenario = plannedScenario('2% → 3% absolute', 0.02, {
      effect: 0.01,
      difference: 'absolute',
      engine: 'frequentist',
    });
    const result = runScenario(scenario, 400, 2026);
    expect(result.direction.up.low).toBeLessThanOrEqual(scenario.promisedPower);
    expect(result.direction.up.high).toBeGreaterThanOrEqual(scenario.promisedPower);
  });
});
