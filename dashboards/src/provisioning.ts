import { ALERTMANAGER_DATASOURCE_UID, PROMETHEUS_DATASOURCE_UID } from './common/datasources';

/** Where compose mounts `dashboards/generated` inside the Grafana container. */
export const GRAFANA_DASHBOARDS_PATH = '/etc/grafana/dashboards';

/** Where Grafana finds Prometheus and Alertmanager; compose service names by default. */
export interface GrafanaTargets {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
}

export const COMPOSE_GRAFANA_TARGETS: GrafanaTargets = {
  prometheusUrl: 'http://prometheus:9090',
  alertmanagerUrl: 'http://alertmanager:9093',
};

/** Prometheus (default, fixed uid the dashboards use) and Alertmanager (for silences and the alert list). */
export function datasourcesProvisioning(targets: GrafanaTargets = COMPOSE_GRAFANA_TARGETS): unknown {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        uid: PROMETHEUS_DATASOURCE_UID,
        type: 'prometheus',
        access: 'proxy',
        url: targets.prometheusUrl,
        isDefault: true,
        editable: false,
        jsonData: { timeInterval: '15s', httpMethod: 'POST' },
      },
      {
        name: 'Alertmanager',
        uid: ALERTMANAGER_DATASOURCE_UID,
        type: 'alertmanager',
        access: 'proxy',
        url: targets.alertmanagerUrl,
        editable: false,
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      },
    ],
  };
}

/** A read-only file provider: dashboards come from the repository, so edits in the UI cannot drift from it. */
export function dashboardsProvisioning(): unknown {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'mlwatch',
        folder: 'mlwatch',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: GRAFANA_DASHBOARDS_PATH, foldersFromFilesStructure: false },
      },
    ],
  };
}
