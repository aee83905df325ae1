import path from 'node:path';
import type { AlertingContext } from '../alerting-context';
import type { AlertCase, AlertDefinition } from '../alerts/alert-definition';
import { annotationTemplates } from '../alerts/alert-rules';
import { renderExpected } from '../alerts/annotation-template';
import { formatDuration } from '../prometheus-duration';
import { fleetDriftCase, type ExpectedValue } from './fleet-drift-case';
import { qualityRecordingCases } from './quality-case';
import type { InputSeries } from '../alerts/input-series';

/** Path of the generated promtool test file for one evaluation step, relative to the output directory. */
export function ruleTestPath(evaluationSeconds: number): string {
  return `prometheus/tests/rules-every-${formatDuration(evaluationSeconds)}.test.yml`;
}

/** promtool's tolerance-free comparison, made tolerant: the expression is 1 when within this of the value. */
const VALUE_TOLERANCE = 1e-9;

/** Cases evaluate every minute of (production) test time unless they say otherwise; the fast profile compresses it. */
const DEFAULT_EVALUATION_SECONDS = 60;

/**
 * The `promtool test rules` files, one per evaluation step: for every alert, the cases its
 * definition lists (firing above the threshold, silent just below), and the fleet PSI/KS and
 * quality recording rules against hand-computed values. Returns file contents by path.
 */
export function ruleTestFiles(
  ctx: AlertingContext,
  alerts: readonly AlertDefinition[],
  ruleFiles: readonly string[],
): Map<string, unknown> {
  const scaled = (seconds: number) => formatDuration(seconds / ctx.profile.timeCompression);
  const byStep = new Map<number, unknown[]>();
  const add = (evaluationSeconds: number, test: unknown) =>
    byStep.set(evaluationSeconds, [...(byStep.get(evaluationSeconds) ?? []), test]);
  for (const alert of alerts) {
    for (const alertCase of alert.cases(ctx)) {
      const step = alertCase.evaluationSeconds ?? DEFAULT_EVALUATION_SECONDS;
      // Rules are only evaluated on the step grid; check the alert at a step.
      const evalAtSeconds = Math.ceil(alertCase.evalAtSeconds / step) * step;
      add(step, alertTest(ctx, alert, { ...alertCase, evalAtSeconds }, scaled));
    }
  }
  const fleet = fleetDriftCase(ctx);
  add(
    DEFAULT_EVALUATION_SECONDS,
    valueTest(
      ctx,
      { name: 'fleet PSI and binned KS over two replicas match values computed by hand', ...fleet },
      scaled,
    ),
  );
  // The quality cases evaluate once per sample, sixty samples a window.
  for (const quality of qualityRecordingCases(ctx)) add(quality.intervalSeconds, valueTest(ctx, quality, scaled));
  const files = new Map<string, unknown>();
  for (const [step, tests] of [...byStep].sort(([a], [b]) => a - b)) {
    const testPath = ruleTestPath(step);
    files.set(testPath, {
      rule_files: ruleFiles.map((file) => path.posix.relative(path.posix.dirname(testPath), file)),
      evaluation_interval: scaled(step),
      tests,
    });
  }
  return files;
}

function alertTest(
  ctx: AlertingContext,
  alert: AlertDefinition,
  alertCase: AlertCase,
  scaled: (s: number) => string,
): unknown {
  const templates = annotationTemplates(ctx, alert);
  return {
    name: `${alert.name}: ${alertCase.title}`,
    interval: scaled(alertCase.intervalSeconds),
    input_series: inputSeries(ctx, alertCase.series, alertCase.intervalSeconds, alertCase.evalAtSeconds),
    alert_rule_test: [
      {
        eval_time: scaled(alertCase.evalAtSeconds),
        alertname: alert.name,
        exp_alerts: alertCase.expected.map((expected) => ({
          exp_labels: { severity: expected.severity, ...expected.labels },
          exp_annotations: Object.fromEntries(
            Object.entries(templates).map(([key, template]) => [key, renderExpected(template, expected)]),
          ),
        })),
      },
    ],
  };
}

/** Recorded values at one time against hand-computed ones: the fleet drift and quality cases. */
interface ValueCase {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly evalAtSeconds: number;
  readonly series: readonly InputSeries[];
  readonly expected: readonly ExpectedValue[];
}

function valueTest(ctx: AlertingContext, valueCase: ValueCase, scaled: (s: number) => string): unknown {
  return {
    name: valueCase.name,
    interval: scaled(valueCase.intervalSeconds),
    input_series: inputSeries(ctx, valueCase.series, valueCase.intervalSeconds, valueCase.evalAtSeconds),
    promql_expr_test: valueCase.expected.map((expected) => ({
      expr: `abs(${expected.expr} - ${expected.value}) < bool ${VALUE_TOLERANCE}`,
      eval_time: scaled(valueCase.evalAtSeconds),
      exp_samples: [
        {
          labels: `{${Object.entries(expected.labels)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(', ')}}`,
          value: 1,
        },
      ],
    })),
  };
}

/** Samples from time 0 up to and including the evaluation time. */
function inputSeries(
  ctx: AlertingContext,
  series: readonly InputSeries[],
  intervalSeconds: number,
  evalAtSeconds: number,
): unknown[] {
  const grid = {
    samples: Math.floor(evalAtSeconds / intervalSeconds) + 1,
    intervalSeconds: intervalSeconds / ctx.profile.timeCompression,
    productionIntervalSeconds: intervalSeconds,
  };
  return series.map((s) => ({ series: s.series, values: s.values(grid) }));
}
