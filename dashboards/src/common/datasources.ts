import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

/** Fixed datasource uids: the provisioning creates them, the dashboards refer to them. */
export const PROMETHEUS_DATASOURCE_UID = 'mlwatch-prometheus';
export const ALERTMANAGER_DATASOURCE_UID = 'mlwatch-alertmanager';

/** Name of the datasource template variable every panel queries through. */
export const DATASOURCE_VARIABLE = 'datasource';

/** The Prometheus datasource as panels reference it: whichever the datasource variable selects. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };
