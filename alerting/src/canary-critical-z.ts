import { normalQuantile } from '../../drift/src/stats/special/normal-quantile';

/**
 * Critical value of the canary's one-sided two-proportion z test at significance `level`
 * (`canary.level`): the z the candidate must exceed to be significantly worse, probit(1 − level).
 * Computed as −probit(level), exact in the tail where 1 − level would round (0.01 → 2.3263478740408408).
 */
export function criticalZ(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`criticalZ: level must be in (0, 1) (got ${level})`);
  return 0 - normalQuantile(level); // not −x: −0 at level 0.5 would print as "-0"
}
