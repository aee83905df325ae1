import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { RECORDS } from '../../spec/src/conventions';
import { WEEK_OFFSET } from './common/queries';

/** One query of one panel, as the end-to-end check runs it. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  /** PromQL with every template variable replaced. */
  readonly expr: string;
  /** Only returns data where node-exporter is scraped. */
  readonly needsNodeExporter: boolean;
  /**
   * Only returns data once Prometheus holds a week of history: the rule one week earlier (`offset 1w`)
   * and the week-over-week rules, which divide by it.
   */
  readonly needsLastWeek: boolean;
}

/** Whether an expression reads a selector one week back or a week-over-week recording rule. */
function readsLastWeek(expr: string): boolean {
  const weekOverWeek = [RECORDS.outcomeRateWeekOverWeek(''), RECORDS.outcomeValueWeekOverWeek('')];
  return expr.includes(` offset ${WEEK_OFFSET}`) || weekOverWeek.some((prefix) => expr.includes(prefix));
}

/** Values for the template variables; Grafana's own (`$__rate_interval`, …) have defaults here. */
export type VariableValues = Readonly<Record<string, string>>;

const GRAFANA_DEFAULTS: VariableValues = { __rate_interval: '1m', __interval: '15s', __range: '1h' };

/**
 * Every panel query of the dashboards with variables substituted (`$name` and `${name}`),
 * for checking against a real Prometheus. Throws on a variable without a value, so a new
 * variable cannot slip past the check unsubstituted.
 */
export function panelQueries(dashboards: readonly Dashboard[], values: VariableValues): PanelQuery[] {
  const all = { ...GRAFANA_DEFAULTS, ...values };
  return dashboards.flatMap((dashboard) =>
    panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => {
        const expr = substitute(
          (target as { expr?: string }).expr ?? '',
          all,
          `${dashboard.uid} / ${panel.title ?? ''}`,
        );
        return {
          dashboard: dashboard.uid ?? '',
          panel: panel.title ?? '',
          refId: (target as { refId?: string }).refId ?? '',
          expr,
          needsNodeExporter: /\bnode_[a-z_]+/.test(expr),
          needsLastWeek: readsLastWeek(expr),
        };
      }),
    ),
  );
}

/** Panels of a dashboard, rows excluded and collapsed rows' panels included. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((p: Panel | RowPanel) =>
    p.type === 'row' ? (p as RowPanel).panels : [p as Panel],
  );
}

/** Template variables a PromQL expression uses, as `$name` or `${name}`. */
export function variablesIn(expr: string): string[] {
  return [...expr.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1] as string);
}

function substitute(expr: string, values: VariableValues, where: string): string {
  return expr.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${where}: no value for variable $${name}`);
    return value;
  });
}
