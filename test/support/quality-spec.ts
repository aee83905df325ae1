import type { LoadedSpec } from '../../spec/src/load-spec';
import { DEMO_SPEND_MODEL, loadEditedDemoSpec, removeModel } from './demo-spec';
import { arrayAt, objectAt, type Doc } from './document';

/** The quality section the tests give the demo's fraud classifier. */
export const FRAUD_QUALITY = {
  expected_delay_seconds: 600,
  min_labels: 50,
  windows_seconds: [3600, 86400],
  accuracy_floor: 0.9,
  estimated_accuracy_floor: 0.85,
  max_estimate_gap: 0.05,
  coverage_floor: 0.5,
  protected_classes: { fraud: { recall_floor: 0.6 } },
};

/** A regression model next to the classifier: ingest only (no artifact), with quality and its own buckets. */
export const PRICE_MODEL = {
  name: 'price',
  description: 'Expected basket value in EUR (test).',
  task: 'regression',
  versions: [{ name: 'v1', weight: 1 }],
  features: [{ name: 'items', type: 'numeric' }],
  value_buckets: [1, 10, 100, 1000],
  quality: {
    windows_seconds: [1800, 86400],
    min_labels: 20,
    mae_ceiling: 12.5,
    rmse_ceiling: 20,
    coverage_floor: 0.5,
    error_buckets: [1, 5, 10, 50],
  },
};

/** The fraud model of a demo spec document. */
export function fraudModel(spec: Doc): Doc {
  return objectAt(arrayAt(spec, 'models')[0]);
}

/**
 * The demo spec with the classifier labelled (`FRAUD_QUALITY`) and the demo's own regression model
 * replaced by `PRICE_MODEL`, then `edit`: both task kinds and both performance dashboards, one model each.
 */
export function loadQualitySpec(edit: (spec: Doc) => void = () => undefined): LoadedSpec {
  return loadEditedDemoSpec((spec) => {
    removeModel(spec, DEMO_SPEND_MODEL);
    fraudModel(spec)['quality'] = structuredClone(FRAUD_QUALITY);
    arrayAt(spec, 'models').push(structuredClone(PRICE_MODEL));
    edit(spec);
  });
}

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

/**
 * The demo spec (its fraud model has labels) with the demo's own regression model replaced by this one,
 * so every quality alert is generated, for these two models only.
 */
export function withRegressionModel(edit: (spec: Doc) => void = () => undefined): LoadedSpec {
  return loadEditedDemoSpec((spec) => {
    removeModel(spec, DEMO_SPEND_MODEL);
    addRegressionModel(spec);
    edit(spec);
  });
}
