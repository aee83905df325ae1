import { EXPORTER_JOB } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';

/** Labels Prometheus adds to everything scraped from one exporter, as the fixtures use them. */
export const EXPORTER_TARGET = { job: EXPORTER_JOB, instance: 'exporter:9420' } as const;

/** A model name from the spec, so the fixtures exercise real label values. */
export function fixtureModel(ctx: AlertingContext): string {
  return ctx.spec.models[0]?.name as string;
}

/** A version name of the fixture model. */
export function fixtureVersion(ctx: AlertingContext): string {
  return ctx.spec.models[0]?.versions[0]?.name as string;
}

/** Values just above and just below a threshold, so a case proves the boundary rather than an extreme. */
export function around(threshold: number): { above: number; below: number } {
  return threshold > 0 ? { above: threshold * 1.1, below: threshold * 0.9 } : { above: 0.1, below: 0 };
}

/** Evaluation time of a case whose condition holds from the start: the window filled, the `for` held, one more step. */
export function settledAt(windowSeconds: number, forSeconds: number, intervalSeconds: number): number {
  return windowSeconds + forSeconds + 2 * intervalSeconds;
}
