import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FeatureSpec } from '../../../spec/src/schema';
import type { FeatureValue, FeatureRow } from '../../../spec/src/model-types';

/** A model's reference sample as rows holding only the spec's features. */
export interface ReferenceRows {
  readonly rows: readonly FeatureRow[];
  /** Rows left out because a feature that is not nullable was empty: the exporter would reject them. */
  readonly skipped: number;
}

/**
 * Reads a reference sample (CSV with a header, or JSONL) for the simulator: empty cells
 * become null, numeric features numbers, categorical ones strings; other columns are dropped.
 */
export function loadReferenceRows(file: string, features: readonly FeatureSpec[]): ReferenceRows {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the reference sample ${file}: ${(error as Error).message}`, { cause: error });
  }
  const records = /\.jsonl$/i.test(file) ? parseJsonLines(text, file) : parseCsv(text, file, features);
  const rows: FeatureRow[] = [];
  let skipped = 0;
  records.forEach((record, i) => {
    const row = toRow(record, features, file, i);
    if (row === undefined) skipped++;
    else rows.push(row);
  });
  if (rows.length === 0)
    throw new Error(
      `the reference sample ${file} has no usable rows (${skipped} skipped for missing non-nullable features)`,
    );
  return { rows, skipped };
}

function parseCsv(text: string, file: string, features: readonly FeatureSpec[]): Record<string, unknown>[] {
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new Error(`the reference sample ${file} is not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  const header = records[0] === undefined ? [] : Object.keys(records[0]);
  const missing = features.filter((f) => !f.nullable && !header.includes(f.name)).map((f) => f.name);
  if (records.length > 0 && missing.length > 0)
    throw new Error(`the reference sample ${file} has no column for feature(s) ${missing.join(', ')}`);
  return records;
}

function parseJsonLines(text: string, file: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  });
  return records;
}

/** The row of spec features, or undefined when a non-nullable one is missing. */
function toRow(
  record: Record<string, unknown>,
  features: readonly FeatureSpec[],
  file: string,
  index: number,
): FeatureRow | undefined {
  const row: Record<string, FeatureValue> = {};
  for (const feature of features) {
    const value = toValue(record[feature.name], feature, file, index);
    if (value === null && !feature.nullable) return undefined;
    row[feature.name] = value;
  }
  return row;
}

function toValue(raw: unknown, feature: FeatureSpec, file: string, index: number): FeatureValue {
  if (raw === undefined || raw === null || raw === '') return null;
  // A JSON Lines cell may be a number or boolean where a category belongs; it is kept as its JSON text.
  if (feature.type === 'categorical') return typeof raw === 'string' ? raw : JSON.stringify(raw);
  const number = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(number))
    throw new Error(
      `the reference sample ${file}, row ${index + 1}: ${feature.name}: expected a number, got ${JSON.stringify(raw)}`,
    );
  return number;
}
