import type { FeatureSpec, ModelSpec } from '../../../spec/src/schema';
import type { ExporterMetrics } from '../metrics/exporter-metrics';
import type { ModelSlot } from '../metrics/series-layout';
import { describeValue } from './describe-value';
import { nonFiniteLiteral } from './lenient-json';
import { problem, type ValidationProblem } from './validation-problem';

/** One feature compiled for the hot path: its checks decided once, its metric series resolved. */
interface CompiledFeature {
  readonly name: string;
  readonly numeric: boolean;
  readonly nullable: boolean;
  readonly categories: ReadonlySet<string> | undefined;
  readonly missingSeries: number;
  readonly otherCategorySeries: number;
}

/**
 * Checks a model's feature object against its spec with plain loops over precompiled
 * features: a batch of 1000 events cannot afford a schema-library object per event.
 */
export class FeatureValidator {
  private readonly features: readonly CompiledFeature[];
  private readonly byName: ReadonlySet<string>;

  constructor(model: ModelSpec, slot: ModelSlot) {
    this.features = model.features.map((feature) => compile(feature, slot));
    this.byName = new Set(model.features.map((f) => f.name));
  }

  /** The first problem with `features`, or null when every feature is present and well typed. */
  check(features: unknown, field = 'features'): ValidationProblem | null {
    if (features === null || typeof features !== 'object' || Array.isArray(features)) {
      return problem('invalid_field', field, `expected an object of feature values, got ${describeValue(features)}`);
    }
    const row = features as Record<string, unknown>;
    let present = 0;
    for (const feature of this.features) {
      const value = row[feature.name];
      if (value === undefined || value === null) {
        if (value === null) present++;
        if (!feature.nullable)
          return problem(
            'missing_feature',
            `${field}.${feature.name}`,
            value === null ? 'null, but the feature is not nullable' : 'required',
          );
        continue;
      }
      present++;
      const bad = feature.numeric ? checkNumber(value) : checkCategory(value);
      if (bad !== null) return problem(bad.reason, `${field}.${feature.name}`, bad.detail);
    }
    if (countKeys(row) !== present) {
      const unknown = Object.keys(row).find((key) => !this.byName.has(key)) as string;
      return problem('unknown_feature', `${field}.${unknown}`, 'not a feature of this model');
    }
    return null;
  }

  /** Counts missing values and unseen categories of a row that passed `check`. */
  countSpecialValues(row: Readonly<Record<string, unknown>>, metrics: ExporterMetrics): void {
    for (const feature of this.features) {
      const value = row[feature.name];
      if (value === undefined || value === null) {
        if (feature.missingSeries >= 0) metrics.featureMissing.inc(feature.missingSeries);
      } else if (feature.categories !== undefined && !feature.categories.has(value as string)) {
        metrics.featureOtherCategory.inc(feature.otherCategorySeries);
      }
    }
  }
}

function compile(feature: FeatureSpec, slot: ModelSlot): CompiledFeature {
  return {
    name: feature.name,
    numeric: feature.type === 'numeric',
    nullable: feature.nullable,
    categories: feature.categories === undefined ? undefined : new Set(feature.categories),
    missingSeries: slot.missingSeries.get(feature.name) ?? -1,
    otherCategorySeries: slot.otherCategorySeries.get(feature.name) ?? -1,
  };
}

type Bad = { reason: 'invalid_feature_type' | 'non_finite_value'; detail: string } | null;

function checkNumber(value: unknown): Bad {
  if (typeof value === 'number')
    return Number.isFinite(value)
      ? null
      : { reason: 'non_finite_value', detail: `expected a finite number, got ${String(value)}` };
  if (nonFiniteLiteral(value) !== undefined)
    return { reason: 'non_finite_value', detail: `expected a finite number, got ${describeValue(value)}` };
  return { reason: 'invalid_feature_type', detail: `expected a number, got ${describeValue(value)}` };
}

function checkCategory(value: unknown): Bad {
  if (typeof value === 'string' && nonFiniteLiteral(value) === undefined) return null;
  if (nonFiniteLiteral(value) !== undefined)
    return { reason: 'non_finite_value', detail: `expected a category (string), got ${describeValue(value)}` };
  return { reason: 'invalid_feature_type', detail: `expected a category (string), got ${describeValue(value)}` };
}

/** Own enumerable keys, counted without allocating the array `Object.keys` would. */
function countKeys(row: Record<string, unknown>): number {
  let count = 0;
  for (const key in row) if (Object.prototype.hasOwnProperty.call(row, key)) count++;
  return count;
}
