/**
 * The dashboard lint rules, after Grafana's dashboard-linter (github.com/grafana/dashboard-linter):
 * the same rule ids, checked on the generated dashboard JSON.
 */
export const DASHBOARD_LINT_RULES = {
  'template-datasource-rule':
    'the dashboard has a Prometheus datasource variable named datasource, labelled "Data source"',
  'template-job-rule':
    'the dashboard has a job variable: a multi-select query on $datasource, labelled "Job", "All" as .+',
  'template-instance-rule':
    'the dashboard has an instance variable: a multi-select query on $datasource, labelled "Instance", "All" as .+',
  'template-label-rule': 'every template variable has a label',
  'panel-datasource-rule': 'every panel and every query reads through the datasource variable',
  'panel-units-rule': 'every panel that shows numbers has a Grafana unit',
  'panel-title-description-rule': 'every panel has a title and a description',
  'target-promql-rule': 'every query is valid PromQL once the template variables are substituted',
  'target-rate-interval-rule':
    'rate, irate and increase read [$__rate_interval] ([$__range] in an instant query: a summary of the dashboard range)',
  'target-job-rule': 'every selector of every query has the matcher job=~"$job"',
  'target-instance-rule': 'every selector of every query has the matcher instance=~"$instance"',
  'unused-waiver-rule': 'every waiver waives a finding, so none outlives its reason',
} as const;

export type DashboardLintRule = keyof typeof DASHBOARD_LINT_RULES;

/** One problem: which rule, where (dashboard uid, panel title when it is a panel's), and what. */
export interface LintFinding {
  readonly rule: DashboardLintRule;
  readonly dashboard: string;
  readonly panel?: string;
  readonly message: string;
}

/**
 * A rule that does not apply, with the reason, written in the generator next to what it waives:
 * a panel's (by title) or, without `panel`, the whole dashboard's.
 */
export interface LintWaiver {
  readonly rule: DashboardLintRule;
  readonly panel?: string;
  readonly reason: string;
}

/** Key of the dashboard JSON under which the generator records its waivers (Grafana ignores unknown keys). */
export const LINT_WAIVERS_KEY = '_lint_waivers';
