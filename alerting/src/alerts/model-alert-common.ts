import type { AlertName } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';

/** Rule group (and file) of the per-model alerts. */
export const MODEL_ALERT_GROUP = 'mlwatch-model-alerts';

/** Sample interval of the model alerts' rule-test cases, in production seconds. */
export const MINUTE = 60;

/**
 * A drift condition that also holds while its verdict is NaN ("no verdict": the exporter just
 * restarted, or its window is refilling) for as long as the alert already fires. So NaN neither
 * resolves a firing drift alert nor fires one: only a real 0 resolves it, only a real 1 fires it.
 * `x != x` is true exactly when x is NaN.
 */
export function holdWhileNoVerdict(condition: string, verdict: string, on: string, alert: AlertName): string {
  return `${condition}\nor\n(\n  ${verdict} != ${verdict}\n  and on (${on})\n  ALERTS{alertname="${alert}",alertstate="firing"}\n)`;
}

/** Production seconds a drift case's verdict holds before the exporter "restarts", and how long NaN lasts after. */
export function restartPhases(forSeconds: number): { before: number; after: number } {
  return { before: forSeconds + 3 * MINUTE, after: 10 * MINUTE };
}

/** Fixture feature names: the model's own, so descriptions read like the real ones. */
export function fixtureFeatures(ctx: AlertingContext): string[] {
  return (ctx.spec.models[0]?.features ?? []).map((f) => f.name);
}
