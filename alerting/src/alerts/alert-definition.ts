import type { AlertName, DashboardUid, Severity } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import type { InputSeries } from './input-series';
import type { AnnotationTemplate, FeatureQuantiles } from './annotation-template';
import type { LintWaiver } from '../lint/lint-types';

/** One severity of an alert; burn-rate alerts have two forms under one name, so critical can inhibit warning. */
export interface AlertForm {
  readonly severity: Severity;
  readonly expr: string;
  /** Production seconds the condition must hold. */
  readonly forSeconds: number;
  /**
   * Labels written on the rule: a per-model form (its own threshold and `for:`) names its model, so
   * forms of one alert in one file are not duplicates to promtool.
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** An alert the generated rule tests expect, with what its annotations are expanded from. */
export interface ExpectedAlert {
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly driftedFeatures?: readonly string[];
  /** The feature's exported median and p95, when the case feeds them. */
  readonly quantiles?: FeatureQuantiles;
  /** What each query of the description answers in the case, by the query's key. */
  readonly queries?: Readonly<Record<string, number>>;
}

/**
 * A generated `promtool test rules` case: input series sampled every `intervalSeconds`,
 * and the alerts expected at `evalAtSeconds` (both production seconds; the fast profile
 * compresses them). Every alert has a case that fires above its threshold and one that
 * stays silent just below it.
 */
export interface AlertCase {
  readonly title: string;
  readonly intervalSeconds: number;
  /**
   * How often promtool evaluates the rules (default a minute). Every rule of every file is
   * evaluated at each step, so multi-day cases evaluate every 10 minutes to stay fast.
   */
  readonly evaluationSeconds?: number;
  readonly evalAtSeconds: number;
  readonly series: readonly InputSeries[];
  readonly expected: readonly ExpectedAlert[];
  /** The rule groups the case loads, when not all of them (a week-long case). */
  readonly suite?: RuleTestSuite;
}

/**
 * A promtool test file of its own that loads only some rule groups, evaluated in the order given.
 * promtool 2.42 evaluates every loaded rule at every step, whatever a group's interval: a case that
 * spans a week loads only what it reads, so it runs in seconds rather than minutes.
 */
export interface RuleTestSuite {
  /** Prefix of the test file's name (`business` → `business-every-5m.test.yml`). */
  readonly name: string;
  readonly groups: readonly string[];
}

export interface AlertDefinition {
  readonly name: AlertName;
  /** Rule group (and file) the alert is written to. */
  readonly group: string;
  readonly dashboard: DashboardUid;
  /** Whether the alert carries a `model` label, so its links can select the model. */
  readonly perModel: boolean;
  readonly summary: AnnotationTemplate;
  /** A template, or one built from the spec when it quotes a threshold. */
  readonly description: AnnotationTemplate | ((ctx: AlertingContext) => AnnotationTemplate);
  /** `$value` as people read it, e.g. `{ value: 'percent' }`. */
  readonly value: AnnotationTemplate;
  forms(ctx: AlertingContext): readonly AlertForm[];
  cases(ctx: AlertingContext): readonly AlertCase[];
  /**
   * Generated only where the spec sets its threshold (the quality alerts): no forms is then no
   * rule and no case, not an error.
   */
  readonly optional?: boolean;
  /** Checks of the rule linter this alert is excused from, each with its reason. */
  readonly lintWaivers?: readonly LintWaiver[];
}
