import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { METRICS } from '../../../spec/src/conventions';
import { DATASOURCE_VARIABLE, PROMETHEUS, PROMETHEUS_DATASOURCE_UID } from './datasources';
import { JOB_FILTER, MODEL_FILTER, TARGET_FILTERS } from './filters';

/** Which Prometheus to read; defaults to the provisioned one. */
export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ text: 'Prometheus', value: PROMETHEUS_DATASOURCE_UID });
}

function labelValues(name: string, selector: string, description: string): QueryVariableBuilder {
  const query = `label_values(${selector}, ${name})`;
  return new QueryVariableBuilder(name)
    .label(name.charAt(0).toUpperCase() + name.slice(1))
    .description(description)
    .datasource(PROMETHEUS)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** Many values, "All" by default and sent as `allValue`. */
function multiWithAll(variable: QueryVariableBuilder, allValue: string): QueryVariableBuilder {
  return variable.multi(true).includeAll(true).allValue(allValue).current({ text: 'All', value: '$__all' });
}

/**
 * Jobs that scrape an mlwatch exporter (every exporter exports `mlwatch_build_info`); "All" is `.+`,
 * as dashboard-linter asks, so a series without a job label never matches.
 */
export function jobVariable(): QueryVariableBuilder {
  return multiWithAll(
    labelValues('job', METRICS.buildInfo, 'Prometheus jobs scraping mlwatch exporters, from mlwatch_build_info.'),
    '.+',
  );
}

/** Exporter instances of the selected jobs; "All" is `.+`. */
export function instanceVariable(): QueryVariableBuilder {
  return multiWithAll(
    labelValues('instance', `${METRICS.buildInfo}{${JOB_FILTER}}`, 'Exporter instances of the selected jobs.'),
    '.+',
  );
}

/**
 * The models the selected exporters declare (from `mlwatch_model_info`); with `only`, just those
 * models (a dashboard of one task kind lists the spec's models of that kind).
 */
export function modelVariable(only?: { readonly matcher: string; readonly what: string }): QueryVariableBuilder {
  return labelValues(
    'model',
    `${METRICS.modelInfo}{${[...TARGET_FILTERS, ...(only === undefined ? [] : [only.matcher])].join(', ')}}`,
    only === undefined
      ? 'Model to show, from mlwatch_model_info of the selected exporters.'
      : `Model to show, from mlwatch_model_info of the selected exporters: ${only.what}.`,
  );
}

/** Versions of the selected model; "All" by default. */
export function versionVariable(): QueryVariableBuilder {
  return multiWithAll(
    labelValues('version', `${METRICS.modelInfo}{${MODEL_FILTER}}`, 'Versions of the selected model.'),
    '.*',
  );
}

/** Features of the selected model that have a drift verdict; "All" by default. */
export function featureVariable(): QueryVariableBuilder {
  return multiWithAll(
    labelValues('feature', `${METRICS.featureDriftScore}{${MODEL_FILTER}}`, 'Features of the selected model.'),
    '.*',
  );
}

/** Outcome events of the selected model (every declared one has a zero-initialised counter); "All" by default. */
export function eventVariable(): QueryVariableBuilder {
  return multiWithAll(
    labelValues(
      'event',
      `${METRICS.outcomesTotal}{${[...TARGET_FILTERS, MODEL_FILTER].join(', ')}}`,
      'Outcome events the selected model declares, from mlwatch_outcomes_total.',
    ),
    '.*',
  );
}

/** The variables every dashboard starts with: where to read, and which exporters. */
export function targetVariables(): (DatasourceVariableBuilder | QueryVariableBuilder)[] {
  return [datasourceVariable(), jobVariable(), instanceVariable()];
}
