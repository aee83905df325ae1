/**
 * Runs a step-wise drift evaluation in time slices, giving the event loop back between slices,
 * so a wide model's evaluation never stalls request handling for more than about one slice.
 */
import type { WindowSnapshot } from '../../../drift/src/window-snapshot';
import type { DriftPlan } from '../../../drift/src/engine/drift-plan';
import type { DriftReport } from '../../../drift/src/engine/drift-report';
import { type EvaluateOptions, evaluateDriftInSteps } from '../../../drift/src/engine/evaluate-drift';

/** Default time slice: short next to a request's latency budget, long next to one feature's test. */
export const DEFAULT_SLICE_MS = 5;

/** Options of {@link evaluateDriftAsync}. */
export interface EvaluateAsyncOptions extends EvaluateOptions {
  /** Milliseconds of testing before yielding to the event loop (default {@link DEFAULT_SLICE_MS}); 0 yields after every feature. */
  readonly sliceMs?: number;
}

/** The drift report of `snapshot` under `plan`, computed in slices of about sliceMs with setImmediate between them. */
export async function evaluateDriftAsync(
  snapshot: WindowSnapshot,
  plan: DriftPlan,
  options: EvaluateAsyncOptions = {},
): Promise<DriftReport> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  if (!(sliceMs >= 0)) throw new RangeError(`evaluateDriftAsync: sliceMs must be a number >= 0, got ${sliceMs}`);
  const steps = evaluateDriftInSteps(snapshot, plan, options);
  for (;;) {
    const sliceEnd = performance.now() + sliceMs;
    let step = steps.next();
    while (step.done !== true && performance.now() < sliceEnd) step = steps.next();
    if (step.done === true) return step.value;
    await nextTurn();
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
