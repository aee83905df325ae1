import type { LoadedSpec } from '../../spec/src/load-spec';
import { loadEditedDemoSpec } from './demo-spec';
import { arrayAt, type Doc } from './document';

/** A regression model with labels next to the demo's fraud classifier: ingest only, no artifact. */
export const REGRESSION_MODEL = 'basket_value';

/** The quality section the regression model of {@link withRegressionModel} gets unless a test says otherwise. */
export const REGRESSION_QUALITY = {
  expected_delay_seconds: 300,
  min_labels: 50,
  windows_seconds: [1800, 86400],
  mae_ceiling: 12.5,
  rmse_ceiling: 20,
  coverage_floor: 0.6,
};

/** Adds the regression model with labels to a spec document. */
export function addRegressionModel(spec: Doc, quality: Record<string, unknown> = REGRESSION_QUALITY): void {
  arrayAt(spec, 'models').push({
    name: REGRESSION_MODEL,
    task: 'regression',
    versions: [{ name: 'r1', weight: 1 }],
    features: [{ name: 'items', type: 'numeric' }],
    quality,
  });
}

/** The demo spec (its fraud model has labels) with the regression model beside it, so every quality alert is generated. */
export function withRegressionModel(edit: (spec: Doc) => void = () => undefined): LoadedSpec {
  return loadEditedDemoSpec((spec) => {
    addRegressionModel(spec);
    edit(spec);
  });
}
