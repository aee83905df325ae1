import { LABELS, METRICS, RECORDS, type CanarySignal } from '../../../spec/src/conventions';
import { conversionEvent } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import { canaryCounter, canaryFixture, sideSeries, twoProportionZ, type Proportion } from '../alerts/canary-cases';
import { settledAt } from '../alerts/case-helpers';
import type { InputSeries } from '../alerts/input-series';
import { canarySignals } from '../rules/canary-recording';
import type { ExpectedValue, ValueCase } from './fleet-drift-case';

/**
 * Counts per canary window (1h in the demo) of each version. `burst` successful predictions more arrive
 * in the last attribution delay (5m): the error ratio counts them, the conversion rate must not.
 * Labels: [a→a, b→b, a→b, b→a] of the model's first two classes (right: the first two).
 */
export const CANARY_FIXTURE = {
  baseline: { success: 2000, burst: 100, errors: 20, conversions: 200, labels: [600, 300, 60, 40] },
  candidate: { success: 500, burst: 25, errors: 15, conversions: 25, labels: [240, 100, 40, 20] },
} as const;

type Side = (typeof CANARY_FIXTURE)['baseline' | 'candidate'];

/**
 * Each signal's hits of trials per side, as the rules must count them (demo, attribution delay 5m):
 *
 *   errors:     v1 20 of 2000 + 100 + 20 = 2120, v2 15 of 540; p̂ = 35/2660 = 0.013158,
 *               z = (15/540 − 20/2120) / sqrt(0.013158 · 0.986842 · (1/2120 + 1/540)) = 0.018344 / 0.0054928 = 3.340
 *   conversion: v1 200 of 2000, v2 25 of 500 (the burst is after the offset window ends); p̂ = 0.09,
 *               z = (0.1 − 0.05) / sqrt(0.09 · 0.91 · (1/2000 + 1/500)) = 0.05 / 0.014309 = 3.494
 *   accuracy:   v1 900 of 1000, v2 340 of 400; p̂ = 1240/1400 = 0.885714,
 *               z = (0.9 − 0.85) / sqrt(0.885714 · 0.114286 · (1/1000 + 1/400)) = 0.05 / 0.018822 = 2.656
 *   latency:    v1 all under 0.1 s, p99 = 0.099; v2 all in (0.1, 0.25], p99 = 0.1 + 0.15 · 0.99 = 0.2485;
 *               ratio 0.2485 / 0.099 = 2.5101
 */
export function canaryProportions(side: Side, signal: CanarySignal, delayed: boolean): Proportion {
  const burst = delayed ? side.burst : 0;
  switch (signal) {
    case 'errors':
      return { hits: side.errors, trials: side.success + burst + side.errors };
    case 'conversion':
      return { hits: side.conversions, trials: side.success };
    case 'accuracy':
      return { hits: side.labels[0] + side.labels[1], trials: side.labels.reduce((a, b) => a + b, 0) };
  }
}

/** Latency observations per window in each histogram bucket, by version side: [≤ 0.1 s, ≤ 0.25 s, all]. */
const LATENCY_BUCKETS = ['0.1', '0.25', '+Inf'] as const;
const LATENCY = { baseline: [600, 600, 600], candidate: [0, 600, 600] } as const;
export const LATENCY_P99_RATIO = (0.1 + 0.15 * 0.99) / (0.1 * 0.99);

/** The canary rules of the first model with a canary against the figures above, every signal it has. */
export function canaryRecordingCases(ctx: AlertingContext): ValueCase[] {
  const fx = canaryFixture(ctx);
  if (fx === undefined) return [];
  const { model, baseline, candidate } = fx;
  const { outcomes, classes } = fx.target.model;
  const conversion = outcomes === undefined ? undefined : conversionEvent(outcomes);
  const evalAtSeconds = settledAt(fx.windowSeconds + fx.delaySeconds, 0, fx.intervalSeconds);
  const delayed = fx.delaySeconds > 0;
  const signals = canarySignals(ctx, fx.target).map((s) => s.signal);
  const f = CANARY_FIXTURE;
  const labelSeries = (version: string, side: Side): InputSeries[] => {
    const [a, b] = (classes ?? []) as [string, string];
    const cells = [
      [a, a],
      [b, b],
      [a, b],
      [b, a],
    ] as const;
    return cells.map(([predicted, actual], i) =>
      canaryCounter(
        ctx,
        fx,
        METRICS.labelsTotal,
        { version, [LABELS.predicted]: predicted, [LABELS.actual]: actual },
        { perWindow: side.labels[i] as number },
        evalAtSeconds,
      ),
    );
  };
  const latency = (version: string, counts: readonly number[]) =>
    LATENCY_BUCKETS.map((le, i) =>
      canaryCounter(
        ctx,
        fx,
        `${METRICS.predictionLatencySeconds}_bucket`,
        { version, le },
        { perWindow: counts[i] as number },
        evalAtSeconds,
      ),
    );
  const window = fx.window;
  const expected: ExpectedValue[] = signals.flatMap((signal) => {
    const b = canaryProportions(f.baseline, signal, delayed);
    const c = canaryProportions(f.candidate, signal, delayed);
    const worse = signal === 'errors' ? 'higher' : 'lower';
    const volume = (version: string, trials: number): ExpectedValue => ({
      expr: `${RECORDS.canaryVolume(window)}{model="${model}",version="${version}",signal="${signal}"}`,
      labels: { model, version, signal },
      value: trials,
    });
    return [
      volume(baseline, b.trials),
      volume(candidate, c.trials),
      {
        expr: `${RECORDS.canaryZ(window)}{model="${model}",signal="${signal}"}`,
        labels: { model, version: candidate, baseline, signal },
        value: twoProportionZ(b, c, worse),
      },
    ];
  });
  return [
    {
      name: `canary z statistics of errors, conversion and accuracy, volumes and the latency p99 ratio match values computed by hand (${model} ${candidate} against ${baseline})`,
      intervalSeconds: fx.intervalSeconds,
      evalAtSeconds,
      suite: fx.suite,
      series: [
        ...sideSeries(ctx, fx, { version: baseline, ...f.baseline }, evalAtSeconds, conversion),
        ...sideSeries(ctx, fx, { version: candidate, ...f.candidate }, evalAtSeconds, conversion),
        ...(signals.includes('accuracy')
          ? [...labelSeries(baseline, f.baseline), ...labelSeries(candidate, f.candidate)]
          : []),
        ...latency(baseline, LATENCY.baseline),
        ...latency(candidate, LATENCY.candidate),
      ],
      expected: [
        ...expected,
        {
          expr: `${RECORDS.canaryLatencyP99Ratio}{model="${model}"}`,
          labels: { model, version: candidate, baseline },
          value: LATENCY_P99_RATIO,
        },
      ],
    },
  ];
}
