import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { METRICS } from '../../../spec/src/conventions';
import { DATASOURCE_VARIABLE, PROMETHEUS, PROMETHEUS_DATASOURCE_UID } from './datasources';
import { MODEL_FILTER } from './filters';

/** Which Prometheus to read; defaults to the provisioned one. */
export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ text: 'Prometheus', value: PROMETHEUS_DATASOURCE_UID });
}

function labelValues(name: string, label: string, selector: string, description: string): QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  return new QueryVariableBuilder(name)
    .label(label.charAt(0).toUpperCase() + label.slice(1))
    .description(description)
    .datasource(PROMETHEUS)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** The models the spec declares (from `mlwatch_model_info`). */
export function modelVariable(): QueryVariableBuilder {
  return labelValues('model', 'model', METRICS.modelInfo, 'Model to show, from mlwatch_model_info.');
}

/** Versions of the selected model; "All" by default. */
export function versionVariable(): QueryVariableBuilder {
  return labelValues('version', 'version', `${METRICS.modelInfo}{${MODEL_FILTER}}`, 'Versions of the selected model.')
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

/** Features of the selected model that have a drift verdict; "All" by default. */
export function featureVariable(): QueryVariableBuilder {
  return labelValues(
    'feature',
    'feature',
    `${METRICS.featureDriftScore}{${MODEL_FILTER}}`,
    'Features of the selected model.',
  )
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}
