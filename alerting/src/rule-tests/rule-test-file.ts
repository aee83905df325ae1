import path from 'node:path';
import type { AlertingContext } from '../alerting-context';
import type { AlertCase, AlertDefinition, RuleTestSuite } from '../alerts/alert-definition';
import { ruleFilePath } from '../rule-groups';
import { businessRecordingCases } from './business-case';
import { canaryRecordingCases } from './canary-case';
import { annotationTemplates } from '../alerts/alert-rules';
import { renderExpected } from '../alerts/annotation-template';
import { formatDuration } from '../prometheus-duration';
import { fleetDriftCase, type ValueCase } from './fleet-drift-case';
import { qualityRecordingCases } from './quality-case';
import type { InputSeries } from '../alerts/input-series';

/** Path of the generated promtool test file of a suite (all rules: `rules`) and evaluation step, relative to the output directory. */
export function ruleTestPath(evaluationSeconds: number, suite = 'rules'): string {
  return `prometheus/tests/${suite}-every-${formatDuration(evaluationSeconds)}.test.yml`;
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
  const files = new Map<string, { step: number; suite?: RuleTestSuite; tests: unknown[] }>();
  const add = (step: number, test: unknown, suite?: RuleTestSuite) => {
    const testPath = ruleTestPath(step, suite?.name);
    const file = files.get(testPath) ?? { step, ...(suite === undefined ? {} : { suite }), tests: [] };
    files.set(testPath, { ...file, tests: [...file.tests, test] });
  };
  for (const alert of alerts) {
    for (const alertCase of alert.cases(ctx)) {
      const step = alertCase.evaluationSeconds ?? DEFAULT_EVALUATION_SECONDS;
      // Rules are only evaluated on the step grid; check the alert at a step.
      const evalAtSeconds = Math.ceil(alertCase.evalAtSeconds / step) * step;
      add(step, alertTest(ctx, alert, { ...alertCase, evalAtSeconds }, scaled), alertCase.suite);
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
  for (const value of [...canaryRecordingCases(ctx), ...businessRecordingCases(ctx)])
    add(value.evaluationSeconds ?? value.intervalSeconds, valueTest(ctx, value, scaled), value.suite);
  const sorted = [...files].sort(([a, x], [b, y]) => x.step - y.step || a.localeCompare(b));
  return new Map(
    sorted.map(([testPath, { step, suite, tests }]) => {
      const loaded = suite === undefined ? ruleFiles : suite.groups.map((name) => ruleFilePath({ name, rules: [] }));
      const missing = loaded.filter((file) => !ruleFiles.includes(file));
      if (missing.length > 0)
        throw new Error(`rule test suite ${suite?.name ?? ''} loads no such rule file: ${missing.join(', ')}`);
      return [
        testPath,
        {
          rule_files: loaded.map((file) => path.posix.relative(path.posix.dirname(testPath), file)),
          evaluation_interval: scaled(step),
          // A suite's groups run in the order it lists them at each step, so a rule reading another
          // group's record sees this step's value (promtool's own order is a map's, random).
          ...(suite === undefined ? {} : { group_eval_order: suite.groups }),
          tests,
        },
      ];
    }),
  );
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
