import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureSpec } from '../../../spec/src/schema';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';

const FEATURES: FeatureSpec[] = [
  { name: 'amount', type: 'numeric', nullable: false, drift_test: 'auto' },
  { name: 'score', type: 'numeric', nullable: true, drift_test: 'auto' },
  { name: 'category', type: 'categorical', nullable: false, categories: ['a', 'b'], drift_test: 'auto' },
];

function write(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-ref-')), name);
  writeFileSync(file, text);
  return file;
}

describe('reference rows', () => {
  test('a CSV becomes rows of numbers, strings and nulls for empty cells, without other columns', () => {
    const file = write('ref.csv', 'amount,score,category,label\n12.5,,a,1\n3,700,b,0\n');
    expect(loadReferenceRows(file, FEATURES)).toEqual({
      rows: [
        { amount: 12.5, score: null, category: 'a' },
        { amount: 3, score: 700, category: 'b' },
      ],
      skipped: 0,
    });
  });

  test('rows missing a feature that is not nullable are skipped and counted, since the exporter would reject them', () => {
    const file = write('ref.csv', 'amount,score,category\n,1,a\n2,1,\n3,1,b\n');
    expect(loadReferenceRows(file, FEATURES)).toEqual({ rows: [{ amount: 3, score: 1, category: 'b' }], skipped: 2 });
  });

  test('a JSONL sample is read line by line', () => {
    const file = write(
      'ref.jsonl',
      '{"amount": 1, "score": null, "category": "a"}\n\n{"amount": 2, "category": "b"}\n',
    );
    expect(loadReferenceRows(file, FEATURES).rows).toEqual([
      { amount: 1, score: null, category: 'a' },
      { amount: 2, score: null, category: 'b' },
    ]);
  });

  test('a numeric cell that is not a number is an error naming the file, row and feature', () => {
    const file = write('ref.csv', 'amount,score,category\nlots,1,a\n');
    expect(() => loadReferenceRows(file, FEATURES)).toThrow(
      `the reference sample ${file}, row 1: amount: expected a number, got "lots"`,
    );
  });

  test('a CSV without a column for a required feature is an error naming the column', () => {
    const file = write('ref.csv', 'amount,score\n1,2\n');
    expect(() => loadReferenceRows(file, FEATURES)).toThrow(
      `the reference sample ${file} has no column for feature(s) category`,
    );
  });

  test('a missing file is an error naming it', () => {
    expect(() => loadReferenceRows('/nonexistent/ref.csv', FEATURES)).toThrow(
      'cannot read the reference sample /nonexistent/ref.csv',
    );
  });
});
