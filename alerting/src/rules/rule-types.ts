import type { Severity } from '../../../spec/src/conventions';

/** A Prometheus recording rule as it is written to a rule file. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

/** A Prometheus alerting rule as it is written to a rule file. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: { readonly severity: Severity } & Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

/** One rule group; each group is written to its own file under prometheus/rules/. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}
