import {
  DashboardBuilder,
  DashboardCursorSync,
  type Dashboard,
  type Panel,
  type RowPanel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { LINT_WAIVERS_KEY, type LintWaiver } from '../lint/lint-finding';
import { addSection, type Section } from './layout';
import { MLWATCH_TAG, deploymentAnnotations, mlwatchLinks } from './links';

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly cog.Builder<VariableModel>[];
  readonly sections: readonly Section[];
  /** Dashboard-wide lint rules that do not apply, with the reason. */
  readonly waive?: readonly LintWaiver[];
}

/** A dashboard as generated: Grafana's model plus the lint waivers, with their reasons, under {@link LINT_WAIVERS_KEY}. */
export type GeneratedDashboard = Dashboard & { readonly [LINT_WAIVERS_KEY]?: readonly LintWaiver[] };

/**
 * A complete mlwatch dashboard: stable uid, the shared links and annotations, read-only,
 * explicit panel ids (1, 2, 3… in grid order, a collapsed row's panels after it), which the SDK does not assign, and the lint
 * waivers of the dashboard and its panels.
 */
export function buildDashboard(spec: DashboardSpec): GeneratedDashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([MLWATCH_TAG])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .variables([...spec.variables])
    .annotations(deploymentAnnotations())
    .links([mlwatchLinks()]);
  const waivers = [...(spec.waive ?? []), ...spec.sections.flatMap((section) => addSection(builder, section))];
  const dashboard = builder.build();
  closeCollapsedRows(dashboard.panels ?? []);
  let id = 0;
  for (const panel of dashboard.panels ?? []) {
    panel.id = ++id;
    // A collapsed row's panels are numbered after it, in the order Grafana shows them when opened.
    if (panel.type === 'row') for (const inner of (panel as RowPanel).panels) inner.id = ++id;
  }
  return waivers.length === 0 ? dashboard : { ...dashboard, [LINT_WAIVERS_KEY]: waivers };
}

/**
 * Moves what follows a collapsed row up to just under it: the SDK leaves room for the row's
 * panels, which Grafana shows (pushing the rest down) only when the row is opened.
 */
function closeCollapsedRows(panels: readonly (Panel | RowPanel)[]): void {
  let shift = 0;
  for (const panel of panels) {
    if (panel.gridPos !== undefined) panel.gridPos.y -= shift;
    if (panel.type !== 'row' || !(panel as RowPanel).collapsed) continue;
    const inner = (panel as RowPanel).panels;
    const rowY = panel.gridPos?.y ?? 0;
    for (const p of inner) if (p.gridPos !== undefined) p.gridPos.y -= shift;
    shift += Math.max(0, ...inner.map((p) => (p.gridPos?.y ?? 0) + (p.gridPos?.h ?? 0) - (rowY + 1)));
  }
}
