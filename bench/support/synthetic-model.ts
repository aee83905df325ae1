/**
 * Wide synthetic models for the drift benchmark: N numeric and M categorical features from
 * synthetic-features.ts, a spec around them (as a YAML-ready document or a parsed Spec) and
 * window events drawn from the reference distributions or shifted ones.
 */
import type { Random } from '../../cli/src/demo/random';
import { specSchema, type DriftSpec, type Spec } from '../../spec/src/schema';
import type { WindowEvent } from '../../exporter/src/drift/window/drift-window';
import {
  categoricalShape,
  drawCategory,
  drawNumeric,
  numericShape,
  type CategoricalShape,
  type NumericShape,
} from './synthetic-features';

/** Classes of every synthetic model (binary, so events carry a class index and a confidence). */
const CLASSES = ['no', 'yes'] as const;

/** A synthetic model: its name and its features' distributions. */
export interface SyntheticModel {
  readonly name: string;
  readonly numeric: readonly NumericShape[];
  readonly categorical: readonly CategoricalShape[];
}

/** Which features a synthetic model has and what the spec asks of them. */
export interface SyntheticModelOptions {
  readonly numeric: number;
  readonly categorical: number;
  /** `drift_test` of the numeric features (categorical ones keep `auto`); default `auto`. */
  readonly numericTest?: 'ks' | 'auto';
}

/** Shifts by feature name (in standard deviations for numeric, moved weight for categorical); others are unshifted. */
export type Shifts = ReadonlyMap<string, number>;

/** A model named `name` with `numeric` + `categorical` features. */
export function syntheticModel(
  name: string,
  counts: Pick<SyntheticModelOptions, 'numeric' | 'categorical'>,
): SyntheticModel {
  return {
    name,
    numeric: Array.from({ length: counts.numeric }, (_, i) => numericShape(i)),
    categorical: Array.from({ length: counts.categorical }, (_, i) => categoricalShape(i)),
  };
}

/**
 * A spec document (plain data, ready for yaml.dump or specSchema) for `models` with the given drift
 * section; `reference` names each model's reference file relative to the spec, when there is one.
 */
export function syntheticSpecDocument(
  models: readonly SyntheticModel[],
  options: { numericTest?: 'ks' | 'auto'; drift: Partial<DriftSpec>; reference?: (model: SyntheticModel) => string },
): Record<string, unknown> {
  return {
    service: { name: 'drift-bench', description: 'Synthetic wide models (bench/drift-bench.ts).' },
    logging: { file: null, stdout: false },
    models: models.map((model) => ({
      name: model.name,
      task: 'binary_classification',
      classes: [...CLASSES],
      versions: [{ name: 'v1', weight: 1 }],
      ...(options.reference === undefined ? {} : { reference: options.reference(model) }),
      features: [
        ...model.numeric.map((f) => ({ name: f.name, type: 'numeric', drift_test: options.numericTest ?? 'auto' })),
        ...model.categorical.map((f) => ({ name: f.name, type: 'categorical', categories: [...f.categories] })),
      ],
    })),
    drift: options.drift,
    slo: { latency_target_seconds: 0.25, latency_objective_percent: 99, availability_objective_percent: 99.9 },
    alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 },
  };
}

/** The parsed, defaulted spec of {@link syntheticSpecDocument}; throws with zod's issues if it is invalid. */
export function syntheticSpec(
  models: readonly SyntheticModel[],
  options: { numericTest?: 'ks' | 'auto'; drift: Partial<DriftSpec> },
): Spec {
  return specSchema.parse(syntheticSpecDocument(models, options));
}

/** Feature values of one event: every feature drawn from its distribution, shifted where `shifts` says. */
export function syntheticRow(
  r: Random,
  model: SyntheticModel,
  shifts: Shifts = new Map(),
): Record<string, number | string> {
  const row: Record<string, number | string> = {};
  for (const f of model.numeric) row[f.name] = drawNumeric(r, f, shifts.get(f.name) ?? 0);
  for (const f of model.categorical) row[f.name] = drawCategory(r, f, shifts.get(f.name) ?? 0);
  return row;
}

/** One window event of `model`, as the ingest route would record it. */
export function syntheticEvent(r: Random, model: SyntheticModel, shifts: Shifts = new Map()): WindowEvent {
  const confidence = 0.5 + 0.5 * r.next();
  return {
    features: syntheticRow(r, model, shifts),
    classIndex: r.bernoulli(0.1) ? 1 : 0,
    output: Number.NaN,
    confidence,
  };
}
