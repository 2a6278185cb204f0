import { planSampleSize, type PlanOptions } from '@candor/stats';
import type { Scenario } from './simulate.js';

const conversion = (rate: number) => ({ kind: 'proportion', rate }) as const;

/** Targets the CI subset holds the results code to (A/A "any alarm" at most the experience's α). */
export const ALPHA = 0.05;

/** A 2-arm calibration page's alarm family: 1 goal + 1 guardrail + 3 trust events; SRM keeps 0.001. */
export const TWO_ARM_TEST_ALPHA = (ALPHA - 0.001) / 5;

/** A scenario run at the planner's n, with the power the planner promised. */
export type PlannedScenario = Scenario & { readonly promisedPower: number };

/** The planner's answer for a 2-arm page, as the planning route computes it, and the scenario that checks it. */
export function plannedScenario(
  name: string,
  rate: number,
  options: Pick<PlanOptions, 'effect' | 'difference' | 'engine' | 'tuningN'>,
): PlannedScenario {
  const plan = planSampleSize({
    ...options,
    baseline: { kind: 'proportion', rate },
    alpha: TWO_ARM_TEST_ALPHA,
    power: 0.8,
    alternative: 'two-sided',
  });
  if (plan.perVariant === null) throw new Error(`cannot plan ${name}: ${plan.reason}`);
  return {
    name: `${name}, planned n ${plan.perVariant}`,
    arms: 2,
    perArm: plan.perVariant,
    goal: conversion(rate),
    engine: options.engine,
    lift: options.difference === 'relative' ? options.effect : options.effect / rate,
    promisedPower: 0.8,
    ...(options.engine === 'sequential' ? { looks: 10 } : {}),
  };
}

/** The full A/A matrix: every engine, 2–5 arms, with and without privacy noise, small and large n. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'A/A 2 arms, 10% conversion, n 200', arms: 2, perArm: 200, goal: conversion(0.1), engine: 'frequentist' },
  { name: 'A/A 2 arms, 2% conversion, n 200', arms: 2, perArm: 200, goal: conversion(0.02), engine: 'frequentist' },
  { name: 'A/A 2 arms, revenue, n 200', arms: 2, perArm: 200, goal: { kind: 'revenue' }, engine: 'frequentist' },
  { name: 'A/A 3 arms, revenue, n 1000', arms: 3, perArm: 1000, goal: { kind: 'revenue' }, engine: 'frequentist' },
  { name: 'A/A 5 arms, 10% conversion, n 100', arms: 5, perArm: 100, goal: conversion(0.1), engine: 'frequentist' },
  { name: 'A/A 5 arms, 10% conversion, n 200', arms: 5, perArm: 200, goal: conversion(0.1), engine: 'frequentist' },
  {
    name: 'A/A 5 arms, 10% conversion, n 200, Bayesian',
    arms: 5,
    perArm: 200,
    goal: conversion(0.1),
    engine: 'bayesian',
  },
  { name: 'A/A 5 arms, revenue, n 200, Bayesian', arms: 5, perArm: 200, goal: { kind: 'revenue' }, engine: 'bayesian' },
  {
    name: 'A/A 2 arms, 2% conversion, n 5000, sequential, 10 looks',
    arms: 2,
    perArm: 5000,
    goal: conversion(0.02),
    engine: 'sequential',
    looks: 10,
  },
  {
    name: 'A/A 4 arms, 10% conversion, n 2000, sequential, 20 looks',
    arms: 4,
    perArm: 2000,
    goal: conversion(0.1),
    engine: 'sequential',
    looks: 20,
  },
  {
    name: 'A/A 3 arms, 10% conversion, n 2000, DP ε 1 (default)',
    arms: 3,
    perArm: 2000,
    goal: conversion(0.1),
    engine: 'frequentist',
    epsilon: 1,
  },
  {
    name: 'A/A 5 arms, 10% conversion, n 2000, DP ε 10',
    arms: 5,
    perArm: 2000,
    goal: conversion(0.1),
    engine: 'frequentist',
    epsilon: 10,
  },
  {
    name: 'A/A 2 arms, revenue, n 5000, DP ε 10, Bayesian',
    arms: 2,
    perArm: 5000,
    goal: { kind: 'revenue' },
    engine: 'bayesian',
    epsilon: 10,
  },
  {
    name: 'Effect +20% on revenue, n 3000',
    arms: 2,
    perArm: 3000,
    goal: { kind: 'revenue' },
    engine: 'frequentist',
    lift: 0.2,
  },
];

/** The planner's promises, each checked at the planned n through the whole page (its Holm family included). */
export const PLANNED: readonly PlannedScenario[] = [
  plannedScenario('Plan 10% → 11% (relative), fixed', 0.1, {
    effect: 0.1,
    difference: 'relative',
    engine: 'frequentist',
  }),
  plannedScenario('Plan 2% → 3% (relative), fixed', 0.02, {
    effect: 0.5,
    difference: 'relative',
    engine: 'frequentist',
  }),
  plannedScenario('Plan 2% → 3% (absolute), fixed', 0.02, {
    effect: 0.01,
    difference: 'absolute',
    engine: 'frequentist',
  }),
  plannedScenario('Plan 10% → 13% (relative), sequential, 10 looks', 0.1, {
    effect: 0.3,
    difference: 'relative',
    engine: 'sequential',
    tuningN: 5000,
  }),
];
