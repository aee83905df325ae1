import { parseDuration } from '../prometheus-duration';
import type { AlertingRule, Rule } from '../rules/rule-types';
import type { LintFinding, LintInput, LintPolicy, LintRuleId, MetricType } from './lint-types';
import { parseQuery } from './promql';

/** One check over one rule: problems as messages. */
type Check = (rule: Rule, input: LintInput, policy: LintPolicy) => string[];

/** Samples a range or `for:` must span, so one scrape neither decides nor is missing. */
const MIN_SCRAPES = 2;

const isAlert = (rule: Rule): rule is AlertingRule => 'alert' in rule;
const alertOnly =
  (check: (rule: AlertingRule, input: LintInput, policy: LintPolicy) => string[]): Check =>
  (rule, input, policy) =>
    isAlert(rule) ? check(rule, input, policy) : [];

/** The type of the family a series name belongs to: `x_bucket`, `x_count` and `x_sum` are histogram or summary `x`. */
export function metricTypeOf(name: string, types: ReadonlyMap<string, MetricType>): MetricType | undefined {
  const exact = types.get(name);
  if (exact !== undefined) return exact;
  const family = /^(.*)_(bucket|count|sum)$/.exec(name)?.[1];
  const parent = family === undefined ? undefined : types.get(family);
  return parent === 'histogram' || parent === 'summary' ? parent : undefined;
}

export const CHECKS: Readonly<Record<Exclude<LintRuleId, 'waiver/unused'>, Check>> = {
  'alert-name': alertOnly((rule, _, policy) => {
    const pattern = new RegExp(`^${policy.alertNamePrefix}(?:[A-Z][a-z0-9]*)+$`);
    return pattern.test(rule.alert) ? [] : [`"${rule.alert}" is not CamelCase starting with ${policy.alertNamePrefix}`];
  }),
  'labels/required': alertOnly((rule, _, policy) =>
    policy.requiredLabels.filter((label) => !(label in rule.labels)).map((label) => `label "${label}" is missing`),
  ),
  'labels/severity': alertOnly((rule, _, policy) => {
    const severity = (rule.labels as Readonly<Record<string, string | undefined>>)['severity'];
    return severity === undefined || policy.severities.includes(severity)
      ? []
      : [`severity "${severity}" is not one of ${policy.severities.join(', ')}`];
  }),
  'annotations/summary': alertOnly((rule) => {
    const summary = rule.annotations['summary'];
    if (summary === undefined || summary.trim() === '') return ['summary is missing'];
    const problems: string[] = [];
    if (summary.includes('{{'))
      problems.push('summary contains a template; labels and values belong in the description');
    if (!summary.endsWith('.')) problems.push('summary does not end with a period');
    if (/[.!?]\s+\S/.test(summary)) problems.push('summary is more than one sentence');
    return problems;
  }),
  'annotations/description': alertOnly((rule) => {
    const description = rule.annotations['description'];
    if (description === undefined || description.trim() === '') return ['description is missing'];
    return /\$value\b/.test(description) ? [] : ['description does not quote the value ($value)'];
  }),
  'annotations/runbook-url': alertOnly((rule) => {
    const url = rule.annotations['runbook_url'];
    if (url === undefined) return ['runbook_url is missing'];
    return /^https?:\/\/[^/\s]+/.test(url) ? [] : [`runbook_url "${url}" is not an absolute http(s) URL`];
  }),
  'promql/syntax': (rule) => {
    const { error } = parseQuery(rule.expr);
    return error === undefined ? [] : [`the expression does not parse: ${error}`];
  },
  'promql/rate-range': (rule, input) =>
    parseQuery(rule.expr).rangeFunctions.flatMap((call) =>
      parseDuration(call.range) >= MIN_SCRAPES * input.scrapeIntervalSeconds
        ? []
        : [
            `${call.name}(${call.metric ?? '…'}[${call.range}]) spans fewer than ${MIN_SCRAPES} scrapes of ${input.scrapeIntervalSeconds} s`,
          ],
    ),
  'promql/rate-over-gauge': (rule, input) =>
    parseQuery(rule.expr).rangeFunctions.flatMap((call) => {
      const type = call.metric === undefined ? undefined : metricTypeOf(call.metric, input.metricTypes);
      return type === 'gauge'
        ? [`${call.name}(${call.metric ?? ''}[${call.range}]) reads a gauge; use deriv() or delta()`]
        : [];
    }),
  'alerts/for': alertOnly((rule, input) => {
    const seconds = rule.for === undefined ? 0 : parseDuration(rule.for);
    return seconds >= MIN_SCRAPES * input.scrapeIntervalSeconds
      ? []
      : [
          `for: ${rule.for ?? '0s'} is shorter than ${MIN_SCRAPES} scrapes of ${input.scrapeIntervalSeconds} s, so one sample can fire the alert`,
        ];
  }),
};

/** The name a finding is reported under: the alert's or the record's. */
export function ruleName(rule: Rule): string {
  return isAlert(rule) ? rule.alert : rule.record;
}

/** Findings of every check on one rule, before waivers. */
export function checkRule(rule: Rule, input: LintInput, policy: LintPolicy): LintFinding[] {
  return Object.entries(CHECKS).flatMap(([id, check]) =>
    check(rule, input, policy).map((message) => ({ rule: id as LintRuleId, name: ruleName(rule), message })),
  );
}
