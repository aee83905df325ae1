import type { RuleGroup } from '../rules/rule-types';

/**
 * The checks of the rule linter, after the Prometheus community's offline lint rules (mixtool's
 * alert rules, pint's `alerts/*`, `promql/*` and `rule/*` checks), plus an unused waiver.
 */
export const LINT_RULES = [
  /** Alert names are CamelCase and start with the project prefix (mixtool). */
  'alert-name',
  /** Every alert carries the required labels (pint rule/label). */
  'labels/required',
  /** `severity` is one of the allowed values (mixtool, pint rule/label with a value regex). */
  'labels/severity',
  /** `summary` is one plain sentence: no templates, ending with a period (mixtool). */
  'annotations/summary',
  /** `description` is present and quotes the value (`$value`) (mixtool). */
  'annotations/description',
  /** `runbook_url` is an absolute http(s) URL (mixtool, pint rule/link). */
  'annotations/runbook-url',
  /** The expression parses as PromQL (pint promql/syntax), with Prometheus's own lezer grammar. */
  'promql/syntax',
  /** `rate`, `irate` and `increase` span at least two scrapes (pint promql/rate). */
  'promql/rate-range',
  /** `rate`, `irate` and `increase` read counters, never gauges (pint promql/rate). */
  'promql/rate-over-gauge',
  /** `for:` lasts at least two scrapes, so one sample cannot fire an alert (pint alerts/for). */
  'alerts/for',
  /** A waiver that excuses nothing: the problem it excused is gone, so the waiver must go too. */
  'waiver/unused',
] as const;
export type LintRuleId = (typeof LINT_RULES)[number];

/** One problem: the check, the alert or recording rule it is about, and what is wrong. */
export interface LintFinding {
  readonly rule: LintRuleId;
  readonly name: string;
  readonly message: string;
}

/** A check switched off for one rule, with the reason, written next to the rule in the generator. */
export interface LintWaiver {
  readonly rule: LintRuleId;
  readonly reason: string;
}

/** Prometheus metric types, as `# TYPE` lines say them. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface LintInput {
  readonly groups: readonly RuleGroup[];
  /** Type of each metric family the rules may read, by family name (histograms without `_bucket`). */
  readonly metricTypes: ReadonlyMap<string, MetricType>;
  /** Seconds between scrapes as the rules run (the profile's). */
  readonly scrapeIntervalSeconds: number;
  /** Waivers by alert or record name. */
  readonly waivers?: ReadonlyMap<string, readonly LintWaiver[]>;
}

/** What the checks hold every rule to. */
export interface LintPolicy {
  readonly alertNamePrefix: string;
  readonly severities: readonly string[];
  readonly requiredLabels: readonly string[];
}
