import type { FeatureSpec } from '../../../spec/src/schema';
import { nonFiniteLiteral } from './lenient-json';

/** Reads a feature object into the row's typed arrays; false when it is not plainly valid (the caller then finds the problem). */
export type RowReader = (row: Readonly<Record<string, unknown>>) => boolean;

/** Up to this many categories a feature's code is found by a `switch`; above it, by a Map lookup. */
const MAX_SWITCH_CATEGORIES = 16;

/**
 * Compiles a model's features into one straight-line function that reads a feature object into
 * `values` (numeric, NaN when missing) and `codes` (the category's spec index, `categories.length`
 * for an unseen one, -1 when missing), by spec index. It returns true exactly when every feature
 * is present or nullable, well typed and finite, and the object has no other own key: then the
 * arrays hold what reading each feature by name would give.
 *
 * Why generated code: one property read per feature by its literal name is an inline-cached
 * load, where a loop over names is a hash lookup per key; and a `switch` over a few category
 * names beats hashing a string JSON.parse has just made. Names and categories enter the source
 * only as JSON string literals.
 */
export function compileRowReader(features: readonly FeatureSpec[], values: Float64Array, codes: Int32Array): RowReader {
  const lines = ['let value;', 'let present = 0;'];
  const lookups: ReadonlyMap<string, number>[] = [];
  features.forEach((feature, i) => {
    lines.push(`value = row[${JSON.stringify(feature.name)}];`);
    const missing = feature.type === 'numeric' ? `values[${i}] = NaN;` : `codes[${i}] = -1;`;
    const read = feature.type === 'numeric' ? readNumber(i) : readCategory(i, feature.categories ?? [], lookups);
    // An absent nullable feature is missing and not counted; null is missing and counted as a key.
    if (feature.nullable)
      lines.push(
        `if (value === undefined) { ${missing} } else if (value === null) { ${missing} present++; } else { ${read} present++; }`,
      );
    else lines.push(`${read} present++;`);
  });
  // Every key counted is a feature's, so a different count means a key that is not.
  lines.push('return present === Object.keys(row).length;');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: code built from the spec (see above)
  const build = new Function(
    'values',
    'codes',
    'lookups',
    'nonFiniteLiteral',
    `'use strict';\nreturn function readRow(row) {\n  ${lines.join('\n  ')}\n};`,
  ) as (
    values: Float64Array,
    codes: Int32Array,
    lookups: ReadonlyMap<string, number>[],
    literal: typeof nonFiniteLiteral,
  ) => RowReader;
  return build(values, codes, lookups, nonFiniteLiteral);
}

/** A finite number, or the row is refused (`value - value` is 0 only for finite numbers). */
function readNumber(i: number): string {
  return `if (typeof value === 'number' && value - value === 0) values[${i}] = value; else return false;`;
}

/**
 * A string that is not a non-finite sentinel, coded by its spec index; anything else refuses the row.
 * A known category matches a `case` (strict equality, so only a string can); the rest are checked in `default`.
 */
function readCategory(i: number, categories: readonly string[], lookups: ReadonlyMap<string, number>[]): string {
  const other = categories.length;
  const notCategory = `typeof value !== 'string' || (value.charCodeAt(0) === 0 && nonFiniteLiteral(value) !== undefined)`;
  if (categories.length > MAX_SWITCH_CATEGORIES) {
    lookups.push(new Map(categories.map((c, k) => [c, k])));
    return `if (${notCategory}) return false; codes[${i}] = lookups[${lookups.length - 1}].get(value) ?? ${other};`;
  }
  const cases = categories.map((c, k) => `case ${JSON.stringify(c)}: codes[${i}] = ${k}; break;`).join(' ');
  return `switch (value) { ${cases} default: if (${notCategory}) return false; codes[${i}] = ${other}; }`;
}
