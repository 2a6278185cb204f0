/** An experience's ε budget and what has been spent on releases so far (immutable). */
export interface PrivacyBudget {
  readonly totalEpsilon: number;
  readonly spentEpsilon: number;
  readonly releases: number;
}

/** Why a spend was refused. */
export type BudgetRefusal = 'BUDGET_EXHAUSTED' | 'INVALID_EPSILON';

/** Result of asking to spend ε: the updated budget, or the unchanged one and a refusal reason. */
export type BudgetSpend =
  | { readonly ok: true; readonly budget: PrivacyBudget }
  | { readonly ok: false; readonly budget: PrivacyBudget; readonly reason: BudgetRefusal };

// Tolerates rounding when a budget is split into equal parts and spent back (e.g. 1/3 three times).
const SLACK = 1e-12;

/** A fresh budget of `totalEpsilon` for one experience. */
export function createBudget(totalEpsilon: number): PrivacyBudget {
  return {
    totalEpsilon: totalEpsilon > 0 && Number.isFinite(totalEpsilon) ? totalEpsilon : 0,
    spentEpsilon: 0,
    releases: 0,
  };
}

/** ε per release when a budget is split evenly over a fixed release cadence (peeking spends budget). */
export function epsilonPerRelease(totalEpsilon: number, plannedReleases: number): number {
  if (!(totalEpsilon > 0) || !(plannedReleases >= 1)) return 0;
  return totalEpsilon / Math.floor(plannedReleases);
}

/** ε still available. */
export function remainingEpsilon(budget: PrivacyBudget): number {
  return Math.max(0, budget.totalEpsilon - budget.spentEpsilon);
}

/** Spend ε on one release under sequential composition, or refuse if it would exceed the budget. */
export function spendEpsilon(budget: PrivacyBudget, epsilon: number): BudgetSpend {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) return { ok: false, budget, reason: 'INVALID_EPSILON' };
  if (budget.spentEpsilon + epsilon > budget.totalEpsilon * (1 + SLACK) + SLACK) {
    return { ok: false, budget, reason: 'BUDGET_EXHAUSTED' };
  }
  return {
    ok: true,
    budget: {
      ...budget,
      spentEpsilon: Math.min(budget.totalEpsilon, budget.spentEpsilon + epsilon),
      releases: budget.releases + 1,
    },
  };
}
