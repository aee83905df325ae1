import type { Spec } from '../../spec/src/schema';

/**
 * Values for every dashboard variable as a reader who picked model `fraud` and left the rest at
 * "All" sees them: the datasource's uid, and the regexes Grafana puts in for "All".
 */
export const DEMO_VARIABLE_VALUES: Readonly<Record<string, string>> = {
  datasource: 'mlwatch-prometheus',
  job: '.+',
  instance: '.+',
  model: 'fraud',
  version: '.*',
  feature: '.*',
  event: '.*',
};

/**
 * One set of variable values per task kind the spec has: {@link DEMO_VARIABLE_VALUES} with the
 * model set to the first classifier (one with `quality` first) and to the first regression model.
 * A panel of one kind's rows or dashboard returns data for its kind's set only.
 */
export function variableValueSets(spec: Spec): Readonly<Record<string, string>>[] {
  const classifiers = spec.models.filter((m) => m.task !== 'regression');
  const classifier = classifiers.find((m) => m.quality !== undefined) ?? classifiers[0];
  const regression = spec.models.find((m) => m.task === 'regression');
  return [classifier, regression].flatMap((model) =>
    model === undefined ? [] : [{ ...DEMO_VARIABLE_VALUES, model: model.name }],
  );
}
