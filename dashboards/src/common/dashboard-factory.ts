import {
  DashboardBuilder,
  DashboardCursorSync,
  type Dashboard,
  type Panel,
  type RowPanel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { addSection, type Section } from './layout';
import { MLWATCH_TAG, deploymentAnnotations, mlwatchLinks } from './links';

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly cog.Builder<VariableModel>[];
  readonly sections: readonly Section[];
}

/**
 * A complete mlwatch dashboard: stable uid, the shared links and annotations, read-only,
 * and explicit panel ids (1, 2, 3… in grid order), which the SDK does not assign.
 */
export function buildDashboard(spec: DashboardSpec): Dashboard {
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
  for (const section of spec.sections) addSection(builder, section);
  const dashboard = builder.build();
  (dashboard.panels ?? []).forEach((panel: Panel | RowPanel, index) => {
    panel.id = index + 1;
  });
  return dashboard;
}
