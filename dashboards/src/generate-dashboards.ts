import type { Spec } from '../../spec/src/schema';
import { doNotEditHeader, yamlFile, type GeneratedFile } from '../../alerting/src/generated-file';
import { allDashboards } from './dashboards';
import { dashboardsProvisioning, datasourcesProvisioning } from './provisioning';

export const GENERATED_DASHBOARDS_DIR = 'dashboards/generated';

/**
 * The dashboard JSON (one file per dashboard, named by uid) and Grafana's provisioning. JSON
 * has no comments, so the DO NOT EDIT notice is the first key of each dashboard.
 */
export function generateDashboards(spec: Spec, profile: string): GeneratedFile[] {
  const notice = doNotEditHeader(profile, '')
    .split('\n')
    .map((line) => line.trim())
    .join(' ');
  return [
    ...allDashboards(spec).map((dashboard) => ({
      path: `${GENERATED_DASHBOARDS_DIR}/${dashboard.uid}.json`,
      content: `${JSON.stringify({ _comment: notice, ...dashboard }, null, 2)}\n`,
    })),
    yamlFile('dashboards/provisioning/datasources/mlwatch.yml', profile, datasourcesProvisioning()),
    yamlFile('dashboards/provisioning/dashboards/mlwatch.yml', profile, dashboardsProvisioning()),
  ];
}
