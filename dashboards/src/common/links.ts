import {
  AnnotationQueryBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { EXPORTER_JOB, METRICS } from '../../../spec/src/conventions';
import { PROMETHEUS } from './datasources';
import { MODEL_FILTER } from './filters';

/** Tag every mlwatch dashboard carries; the links list dashboards by it. */
export const MLWATCH_TAG = 'mlwatch';

/** A dropdown of the other mlwatch dashboards that keeps the time range and the selected model. */
export function mlwatchLinks(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('mlwatch dashboards')
    .type(DashboardLinkType.Dashboards)
    .tags([MLWATCH_TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true);
}

/** Marks when a model version appears (a deploy or a spec change) and when an exporter restarts. */
export function deploymentAnnotations(): AnnotationQueryBuilder[] {
  const info = `${METRICS.modelInfo}{${MODEL_FILTER}}`;
  return [
    new AnnotationQueryBuilder()
      .name('Model version changes')
      .datasource(PROMETHEUS)
      .enable(true)
      .iconColor('purple')
      .expr(`count by (model, version) (${info}) unless count by (model, version) (${info} offset 10m)`)
      .step('1m')
      .titleFormat('New version {{version}} of {{model}}')
      .tagKeys('model,version'),
    new AnnotationQueryBuilder()
      .name('Exporter restarts')
      .datasource(PROMETHEUS)
      .enable(true)
      .iconColor('orange')
      .expr(`changes(process_start_time_seconds{job="${EXPORTER_JOB}"}[2m]) > 0`)
      .step('1m')
      .titleFormat('Exporter {{instance}} restarted')
      .tagKeys('instance'),
  ];
}
