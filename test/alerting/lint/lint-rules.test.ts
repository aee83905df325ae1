import { lintRuleGroups } from '../../../alerting/src/lint/lint-rules';
import type { LintRuleId, LintWaiver, MetricType } from '../../../alerting/src/lint/lint-types';
import { LINT_RULES } from '../../../alerting/src/lint/lint-types';
import type { AlertingRule, RecordingRule, Rule } from '../../../alerting/src/rules/rule-types';
import { ALERTS, METRICS, RECORDS } from '../../../spec/src/conventions';
import { defined } from '../../support/defined';
import { exporterMetricTypes, generatedRuleGroups } from './lint-fixtures';

/** Production scrape interval of the demo spec. */
const SCRAPE_SECONDS = 15;

const rules = generatedRuleGroups('production').flatMap((group) => group.rules);
const alertNamed = (name: string): AlertingRule =>
  defined(
    rules.find((r): r is AlertingRule => 'alert' in r && r.alert === name),
    name,
  );
const recordNamed = (name: string): RecordingRule =>
  defined(
    rules.find((r): r is RecordingRule => 'record' in r && r.record === name),
    name,
  );

/** A real rule with an absolute runbook link (relative ones are another branch's fix; see the generated-rules test). */
function clean(rule: AlertingRule): AlertingRule {
  const url = rule.annotations['runbook_url'] ?? '';
  return /^https?:/.test(url)
    ? rule
    : { ...rule, annotations: { ...rule.annotations, runbook_url: `https://runbooks.example.com/${rule.alert}` } };
}

/** A real alert with `rate(counter[5m])` in it and a `for:`, and a real recording rule with `rate`. */
const ALERT = clean(alertNamed(ALERTS.predictionLogLoss));
const RECORD = recordNamed(RECORDS.predictionRate);

const withAnnotation = (rule: AlertingRule, key: string, value: string | undefined): AlertingRule => ({
  ...rule,
  annotations: Object.fromEntries([
    ...Object.entries(rule.annotations).filter(([k]) => k !== key),
    ...(value === undefined ? [] : [[key, value]]),
  ]) as Record<string, string>,
});

/** Each mutation breaks the real alert (or record) one way; exactly its check must fire, once. */
const MUTATIONS: ReadonlyArray<readonly [LintRuleId, string, () => Rule]> = [
  ['alert-name', 'snake_case name', () => ({ ...ALERT, alert: 'MLWatch_prediction_log_loss' })],
  ['alert-name', 'name without the prefix', () => ({ ...ALERT, alert: 'PredictionLogLoss' })],
  ['labels/required', 'no severity label', () => ({ ...ALERT, labels: {} as AlertingRule['labels'] })],
  [
    'labels/severity',
    'severity outside the allowed set',
    () => ({ ...ALERT, labels: { severity: 'page' } as unknown as AlertingRule['labels'] }),
  ],
  [
    'annotations/summary',
    'a template in the summary',
    () => withAnnotation(ALERT, 'summary', 'Exporter {{ $labels.instance }} loses prediction log lines.'),
  ],
  [
    'annotations/summary',
    'a summary without its period',
    () => withAnnotation(ALERT, 'summary', 'An mlwatch exporter loses prediction log lines'),
  ],
  [
    'annotations/summary',
    'two sentences',
    () => withAnnotation(ALERT, 'summary', 'Log lines are lost. Check the disk.'),
  ],
  ['annotations/summary', 'no summary', () => withAnnotation(ALERT, 'summary', undefined)],
  [
    'annotations/description',
    'a description without the value',
    () => withAnnotation(ALERT, 'description', 'Exporter {{ $labels.instance }} drops prediction log lines.'),
  ],
  ['annotations/description', 'no description', () => withAnnotation(ALERT, 'description', undefined)],
  [
    'annotations/runbook-url',
    'a relative runbook link',
    () => withAnnotation(ALERT, 'runbook_url', 'alerting/runbooks.md#mlwatchpredictionlogloss'),
  ],
  ['promql/syntax', 'an unclosed range', () => ({ ...ALERT, expr: ALERT.expr.replace('[5m]', '[5m') })],
  ['promql/rate-range', 'a rate over one scrape', () => ({ ...ALERT, expr: ALERT.expr.replace('[5m]', '[20s]') })],
  [
    'promql/rate-range',
    'a recording rule rating over one scrape',
    () => ({ ...RECORD, expr: RECORD.expr.replace('[5m]', '[15s]') }),
  ],
  [
    'promql/rate-over-gauge',
    'rate over a gauge',
    () => ({ ...ALERT, expr: ALERT.expr.replace(METRICS.predictionLogLinesDroppedTotal, METRICS.activeRequests) }),
  ],
  [
    'promql/rate-over-gauge',
    'a recording rule with increase over a gauge',
    () => ({ ...RECORD, expr: `increase(${METRICS.featureDriftScore}[5m])` }),
  ],
  ['alerts/for', 'a for: of one scrape', () => ({ ...ALERT, for: '15s' })],
  [
    'alerts/for',
    'no for: at all',
    () => {
      const { for: _for, ...rest } = ALERT;
      return rest;
    },
  ],
];

const nameOf = (rule: Rule) => ('alert' in rule ? rule.alert : rule.record);

describe('the rule linter', () => {
  let metricTypes: Map<string, MetricType>;
  beforeAll(async () => {
    metricTypes = await exporterMetricTypes();
  });
  const lint = (rule: Rule, waivers?: ReadonlyMap<string, readonly LintWaiver[]>) =>
    lintRuleGroups({
      groups: [{ name: 'g', rules: [rule] }],
      metricTypes,
      scrapeIntervalSeconds: SCRAPE_SECONDS,
      ...(waivers === undefined ? {} : { waivers }),
    });

  test('the real rules the mutations start from are clean', () => {
    expect(lint(ALERT)).toEqual([]);
    expect(lint(RECORD)).toEqual([]);
  });

  test.each(MUTATIONS.map(([rule, what, mutate]) => [rule, what, mutate] as const))(
    '%s fires on %s, and nothing else does',
    (rule, _, mutate) => {
      const mutated = mutate();
      const findings = lint(mutated);
      expect(findings.map((f) => [f.rule, f.name])).toEqual([[rule, nameOf(mutated)]]);
      expect(findings[0]?.message).toMatch(/\S/);
    },
  );

  test('every check has a mutation that makes it fire', () => {
    const mutated = new Set([...MUTATIONS.map(([rule]) => rule), 'waiver/unused']);
    expect([...LINT_RULES].filter((rule) => !mutated.has(rule))).toEqual([]);
  });

  test('a waiver next to the rule excuses its check for that rule only, and an unused waiver is itself a finding', () => {
    const waiver: LintWaiver = { rule: 'alerts/for', reason: 'a heartbeat needs no for:' };
    const { for: _for, ...noFor } = ALERT;
    expect(lint(noFor, new Map([[ALERT.alert, [waiver]]]))).toEqual([]);
    expect(lint(noFor, new Map([['MLWatchOther', [waiver]]])).map((f) => f.rule)).toEqual(['alerts/for']);
    expect(lint(ALERT, new Map([[ALERT.alert, [waiver]]]))).toEqual([
      {
        rule: 'waiver/unused',
        name: ALERT.alert,
        message: 'waiver of alerts/for excuses nothing: a heartbeat needs no for:',
      },
    ]);
  });

  test('the messages say what is wrong, with the numbers', () => {
    const range = lint({ ...ALERT, expr: ALERT.expr.replace('[5m]', '[20s]') });
    expect(range[0]?.message).toBe(
      `rate(${METRICS.predictionLogLinesDroppedTotal}[20s]) spans fewer than 2 scrapes of 15 s`,
    );
    expect(lint({ ...ALERT, for: '15s' })[0]?.message).toBe(
      'for: 15s is shorter than 2 scrapes of 15 s, so one sample can fire the alert',
    );
  });
});
