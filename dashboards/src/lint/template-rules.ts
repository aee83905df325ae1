import { isDatasourceVariable, variablesOf, type DashboardJson, type VariableJson } from './dashboard-json';
import type { DashboardLintRule, LintFinding } from './lint-finding';

type Found = Omit<LintFinding, 'dashboard'>;

/** A Prometheus datasource variable named `datasource`, labelled "Data source". */
export function templateDatasourceRule(dashboard: DashboardJson): Found[] {
  const rule = 'template-datasource-rule';
  const datasources = variablesOf(dashboard).filter((v) => v.type === 'datasource');
  const variable = datasources.find((v) => v.name === 'datasource');
  if (variable === undefined)
    return [{ rule, message: 'has no datasource variable named "datasource": panels cannot switch Prometheus' }];
  const problems: string[] = [];
  if (variable.query !== 'prometheus') problems.push(`is of type "${String(variable.query)}", not "prometheus"`);
  if (variable.label !== 'Data source') problems.push(`is labelled "${variable.label ?? ''}", not "Data source"`);
  return problems.map((problem) => ({ rule, message: `the datasource variable ${problem}` }));
}

/** dashboard-linter's checkTemplate: a query on $datasource, labelled, multi-select, "All" as `.+`. */
function targetVariableRule(dashboard: DashboardJson, name: 'job' | 'instance', rule: DashboardLintRule): Found[] {
  const variable = variablesOf(dashboard).find((v) => v.name === name);
  if (variable === undefined) return [{ rule, message: `has no ${name} variable` }];
  const label = name.charAt(0).toUpperCase() + name.slice(1);
  const problems: string[] = [];
  if (variable.type !== 'query') problems.push(`is of type "${variable.type ?? ''}", not a Prometheus query`);
  if (!isDatasourceVariable(variable.datasource))
    problems.push(`reads datasource "${variable.datasource?.uid ?? ''}", not \${datasource}`);
  if (variable.label !== label) problems.push(`is labelled "${variable.label ?? ''}", not "${label}"`);
  if (variable.multi !== true) problems.push('is not multi-select');
  if (variable.allValue !== '.+') problems.push(`has "All" as "${variable.allValue ?? ''}", not ".+"`);
  if (name === 'instance' && !queryOf(variable).includes('job=~"$job"'))
    problems.push('is not chained from the job variable (job=~"$job" in its query)');
  return problems.map((problem) => ({ rule, message: `the ${name} variable ${problem}` }));
}

export function templateJobRule(dashboard: DashboardJson): Found[] {
  return targetVariableRule(dashboard, 'job', 'template-job-rule');
}

export function templateInstanceRule(dashboard: DashboardJson): Found[] {
  return targetVariableRule(dashboard, 'instance', 'template-instance-rule');
}

/** Every variable has a label, which is what the dashboard shows beside its dropdown. */
export function templateLabelRule(dashboard: DashboardJson): Found[] {
  return variablesOf(dashboard)
    .filter((v) => (v.label ?? '').trim() === '')
    .map((v) => ({ rule: 'template-label-rule', message: `the ${v.name ?? '(unnamed)'} variable has no label` }));
}

function queryOf(variable: VariableJson): string {
  const query = variable.query;
  if (typeof query === 'string') return query;
  if (typeof query === 'object' && query !== null && 'query' in query && typeof query.query === 'string')
    return query.query;
  return variable.definition ?? '';
}
