import type { FeatureSpec, ModelSpec } from '../../../spec/src/schema';
import { compileRowReader, type RowReader } from './compiled-row-reader';
import { describeValue } from './describe-value';
import { nonFiniteLiteral } from './lenient-json';
import { problem, type ValidationProblem } from './validation-problem';

/** One feature compiled for the hot path: its checks decided once. */
interface CompiledFeature {
  readonly name: string;
  readonly numeric: boolean;
  readonly nullable: boolean;
  /** Spec category → code (its index); unseen categories get `otherCode`. Empty for numeric features. */
  readonly codeOf: ReadonlyMap<string, number>;
  readonly otherCode: number;
}

/**
 * The features of the row a validator accepted last, by spec index, in typed arrays the
 * recording pass reads instead of the row object: numeric values (NaN when missing) and
 * category codes (the spec index, `categories.length` for an unseen category, -1 when missing).
 */
export interface ValidatedRow {
  readonly values: Float64Array;
  readonly codes: Int32Array;
}

/**
 * Checks a model's feature object against its spec with a reader compiled for the model
 * (see compileRowReader): a batch of 1000 events cannot afford a schema-library object per
 * event. A row that passes is also read into `row`, so recording never looks a feature up by
 * name again. Rows the reader refuses are walked again in spec order, which names the problem.
 */
export class FeatureValidator {
  /** Valid until the next `check` of this validator: read it synchronously after a passing check. */
  readonly row: ValidatedRow;
  private readonly features: readonly CompiledFeature[];
  private readonly indexOf: ReadonlyMap<string, number>;
  /** The model's compiled reader, writing into `row`. */
  private readonly readRow: RowReader;

  constructor(model: ModelSpec) {
    this.features = model.features.map(compile);
    this.indexOf = new Map(model.features.map((f, i) => [f.name, i]));
    const n = model.features.length;
    this.row = { values: new Float64Array(n), codes: new Int32Array(n) };
    this.readRow = compileRowReader(model.features, this.row.values, this.row.codes);
  }

  /** The first problem with `features`, or null when every feature is present and well typed (and `row` holds them). */
  check(features: unknown, field = 'features'): ValidationProblem | null {
    if (features === null || typeof features !== 'object' || Array.isArray(features)) {
      return problem('invalid_field', field, `expected an object of feature values, got ${describeValue(features)}`);
    }
    const row = features as Record<string, unknown>;
    // The compiled read accepts the valid rows; anything else is re-walked in spec order, which names the first problem.
    if (this.readRow(row)) return null;
    const found = firstProblem(this.features, this.indexOf, row, field);
    // Only an exotic object (inherited enumerable keys) is valid yet refused by the fast read.
    if (found === null) this.readByName(row);
    return found;
  }

  /** Reads a row already known to be valid by looking each feature up by name. */
  private readByName(row: Record<string, unknown>): void {
    this.features.forEach((feature, i) => {
      const value = row[feature.name];
      if (feature.numeric) this.row.values[i] = typeof value === 'number' ? value : Number.NaN;
      else this.row.codes[i] = typeof value === 'string' ? (feature.codeOf.get(value) ?? feature.otherCode) : -1;
    });
  }
}

/** The first problem of a row in spec order: missing or mistyped features first, then unknown keys. */
function firstProblem(
  features: readonly CompiledFeature[],
  indexOf: ReadonlyMap<string, number>,
  row: Record<string, unknown>,
  field: string,
): ValidationProblem | null {
  let present = 0;
  for (const feature of features) {
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
    const unknown = Object.keys(row).find((key) => !indexOf.has(key)) as string;
    return problem('unknown_feature', `${field}.${unknown}`, 'not a feature of this model');
  }
  return null;
}

function compile(feature: FeatureSpec): CompiledFeature {
  const categories = feature.categories ?? [];
  return {
    name: feature.name,
    numeric: feature.type === 'numeric',
    nullable: feature.nullable,
    codeOf: new Map(categories.map((c, i) => [c, i])),
    otherCode: categories.length,
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
