import { logGamma } from './distributions/gamma.js';
import type { ProportionStatistic } from './types.js';

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * One-sided Fisher exact p-value that the treatment's rate is higher than the control's: the chance,
 * given both arms' sizes and the events in total, that the treatment holds at least as many events
 * (hypergeometric tail). Exact at any count, so a harm alarm on a handful of events rejects at most α
 * of the time, where the pooled z-test can reject more. Counts are rounded; invalid input gives 1.
 * @example fisherExactGreater({ kind: 'proportion', n: 200, sum: 0 }, { kind: 'proportion', n: 200, sum: 6 }) // ≈ 0.0150
 */
export function fisherExactGreater(control: ProportionStatistic, treatment: ProportionStatistic): number {
  const nc = Math.round(control.n);
  const nt = Math.round(treatment.n);
  const xc = Math.round(control.sum);
  const xt = Math.round(treatment.sum);
  const valid = [nc, nt, xc, xt].every((x) => Number.isFinite(x) && x >= 0) && xc <= nc && xt <= nt;
  if (!valid || nc === 0 || nt === 0) return 1;
  const total = xc + xt;
  const denominator = logChoose(nc + nt, total);
  // Past the mode the terms only shrink: stop once they no longer change the sum (large counts stay fast).
  const mode = Math.floor(((total + 1) * (nt + 1)) / (nc + nt + 2));
  let p = 0;
  for (let x = xt; x <= Math.min(total, nt); x++) {
    const term = Math.exp(logChoose(nt, x) + logChoose(nc, total - x) - denominator);
    p += term;
    if (x > mode && term <= p * 1e-17) break;
  }
  return Math.min(1, Math.max(0, p));
}
