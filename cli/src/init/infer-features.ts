import { OTHER_CATEGORY } from '../../../spec/src/conventions';
import type { ColumnStats } from './column-stats';

/** Categories listed per categorical feature at most; rarer ones are recorded as `__other__`. */
export const MAX_CATEGORIES = 50;

/** A feature as `mlwatch init` writes it into the spec. */
export interface InferredFeature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  readonly nullable: boolean;
  /** Most frequent first (ties by name), for a categorical feature. */
  readonly categories?: readonly string[];
  /** What the spec file says about the inference, as a comment beside the feature. */
  readonly note?: string;
}

/** A column left out of the spec, and why. */
export interface SkippedColumn {
  readonly name: string;
  readonly reason: string;
}

/** Column names the spec accepts as feature names: JSON keys and CSV headers (the schema's rule). */
const FEATURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Features inferred from what a pass over the reference CSV saw: numeric when every present
 * value is a decimal number, categorical otherwise with its values as categories; nullable when
 * any cell is empty. Columns that cannot be features (bad names, nothing but gaps, `exclude`) are
 * skipped with a reason.
 */
export function inferFeatures(
  columns: readonly ColumnStats[],
  exclude: ReadonlySet<string> = new Set(),
): { features: InferredFeature[]; skipped: SkippedColumn[] } {
  const features: InferredFeature[] = [];
  const skipped: SkippedColumn[] = [];
  for (const column of columns) {
    const reason = skipReason(column, exclude);
    if (reason !== undefined) skipped.push({ name: column.name, reason });
    else features.push(inferFeature(column));
  }
  return { features, skipped };
}

function skipReason(column: ColumnStats, exclude: ReadonlySet<string>): string | undefined {
  if (exclude.has(column.name)) return 'excluded (--exclude, or the reference prediction column)';
  if (!FEATURE_NAME.test(column.name) || column.name in Object.prototype)
    return 'not a usable feature name (letters, digits and "_", not starting with a digit)';
  if (column.missing === column.rows) return 'every value is missing';
  return undefined;
}

function inferFeature(column: ColumnStats): InferredFeature {
  const nullable = column.missing > 0;
  if (column.numeric) return { name: column.name, type: 'numeric', nullable };
  const ranked = [...column.counts.entries()]
    .filter(([value]) => value !== OTHER_CATEGORY)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .map(([value]) => value);
  const categories = ranked.slice(0, MAX_CATEGORIES);
  const dropped = column.overflowed || ranked.length > categories.length;
  return {
    name: column.name,
    type: 'categorical',
    nullable,
    categories,
    ...(dropped
      ? { note: `the ${categories.length} most frequent values; rarer ones count as ${OTHER_CATEGORY}` }
      : {}),
  };
}
