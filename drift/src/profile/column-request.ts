import type { FeatureSpec } from '../../../spec/src/schema';

/** One column to read: numeric columns become numbers, categorical ones strings. */
export interface ColumnRequest {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  /** An optional column may be absent from the file (e.g. `prediction`); a required one may not. */
  readonly optional?: boolean;
}

/** The columns of a model's features, all required. */
export function featureColumns(features: readonly FeatureSpec[]): ColumnRequest[] {
  return features.map((feature) => ({ name: feature.name, type: feature.type }));
}
