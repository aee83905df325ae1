import type { LintWaiver } from './lint-finding';

/** The parts of a Grafana dashboard's JSON the linter reads; everything optional, as in a file from anywhere. */
export interface DatasourceRef {
  readonly type?: string;
  readonly uid?: string;
}

export interface TargetJson {
  readonly refId?: string;
  readonly expr?: string;
  readonly instant?: boolean;
  readonly datasource?: DatasourceRef;
}

export interface PanelJson {
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: DatasourceRef;
  readonly targets?: readonly TargetJson[];
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  /** A collapsed row's panels. */
  readonly panels?: readonly PanelJson[];
}

export interface VariableJson {
  readonly type?: string;
  readonly name?: string;
  readonly label?: string;
  readonly query?: unknown;
  readonly definition?: string;
  readonly datasource?: DatasourceRef;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly allValue?: string;
}

export interface DashboardJson {
  readonly uid?: string;
  readonly title?: string;
  readonly panels?: readonly PanelJson[];
  readonly templating?: { readonly list?: readonly VariableJson[] };
  readonly _lint_waivers?: readonly LintWaiver[];
}

/** Every panel but the rows, collapsed rows' panels included, in grid order. */
export function panelsOf(dashboard: DashboardJson): PanelJson[] {
  return (dashboard.panels ?? []).flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
}

/** The dashboard's template variables. */
export function variablesOf(dashboard: DashboardJson): readonly VariableJson[] {
  return dashboard.templating?.list ?? [];
}

/** Whether a datasource reference is the datasource variable, as `$datasource` or `${datasource}`. */
export function isDatasourceVariable(ref: DatasourceRef | undefined): boolean {
  return ref?.uid === '$datasource' || ref?.uid === '${datasource}';
}
