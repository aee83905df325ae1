/**
 * The design matrix of a logistic model: numeric features standardised with
 * their training mean and std (a missing value becomes 0, the mean, plus a
 * 0/1 missing-indicator column when the feature is nullable), categorical
 * features one-hot.
 */
import type { FeatureRow } from '../../../spec/src/model-types';

/** What the trainer needs to know about a feature; the spec's feature entries fit this shape. */
export interface TrainingFeature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  /** A nullable numeric feature gets a missing-indicator weight. */
  readonly nullable?: boolean;
  /** One-hot columns of a categorical feature; the categories seen in training (sorted) when omitted. */
  readonly categories?: readonly string[];
}

/** One column of the design matrix. */
export type DesignColumn =
  | { kind: 'numeric'; feature: string; mean: number; std: number }
  | { kind: 'missing'; feature: string }
  | { kind: 'category'; feature: string; category: string };

/** Design columns: a standardised column per numeric feature (plus a missing flag if nullable), one-hot per category. */
export function planColumns(features: readonly TrainingFeature[], rows: readonly FeatureRow[]): DesignColumn[] {
  const columns: DesignColumn[] = [];
  for (const feature of features) {
    if (feature.type === 'numeric') {
      const { mean, std } = presentMoments(rows, feature.name);
      columns.push({ kind: 'numeric', feature: feature.name, mean, std });
      if (feature.nullable === true) columns.push({ kind: 'missing', feature: feature.name });
    } else {
      for (const category of feature.categories ?? seenCategories(rows, feature.name)) {
        columns.push({ kind: 'category', feature: feature.name, category });
      }
    }
  }
  return columns;
}

/** Encodes rows as a row-major Float64Array of rows × columns. */
export function encodeRows(rows: readonly FeatureRow[], columns: readonly DesignColumn[]): Float64Array {
  const width = columns.length;
  const x = new Float64Array(rows.length * width);
  rows.forEach((row, i) => {
    columns.forEach((column, j) => {
      const value = row[column.feature];
      const present = typeof value === 'number' && Number.isFinite(value);
      let encoded: number;
      if (column.kind === 'numeric') encoded = present ? (value - column.mean) / column.std : 0;
      else if (column.kind === 'missing') encoded = present ? 0 : 1;
      else encoded = value === column.category ? 1 : 0;
      x[i * width + j] = encoded;
    });
  });
  return x;
}

/** Mean and population std of the finite values (two passes, for accuracy); std 1 when constant, so that the column is all zeros. */
function presentMoments(rows: readonly FeatureRow[], name: string): { mean: number; std: number } {
  const values: number[] = [];
  for (const row of rows) {
    const value = row[name];
    if (typeof value === 'number' && Number.isFinite(value)) values.push(value);
  }
  if (values.length === 0) return { mean: 0, std: 1 };
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
}

function seenCategories(rows: readonly FeatureRow[], name: string): string[] {
  const seen = new Set<string>();
  for (const row of rows) {
    const value = row[name];
    if (typeof value === 'string') seen.add(value);
  }
  return [...seen].sort();
}
