import type { FeatureSpec } from '../../../spec/src/schema';
import { compileRowReader } from '../../../exporter/src/ingest/compiled-row-reader';

const FEATURES: FeatureSpec[] = [
  { name: 'x', type: 'numeric', nullable: false, drift_test: 'auto' },
  { name: 'score', type: 'numeric', nullable: true, drift_test: 'auto' },
  { name: 'colour', type: 'categorical', nullable: false, categories: ['red', 'blue'], drift_test: 'auto' },
  { name: 'shape', type: 'categorical', nullable: true, categories: ['round', 'square'], drift_test: 'auto' },
];

/** Python's json.dumps writes NaN as a bare literal; lenient-json turns it into this sentinel. */
const NAN_SENTINEL = '\u0000mlwatch:NaN';

function compile(features: FeatureSpec[] = FEATURES): {
  read: (row: Record<string, unknown>) => boolean;
  values: Float64Array;
  codes: Int32Array;
} {
  const values = new Float64Array(features.length);
  const codes = new Int32Array(features.length);
  return { read: compileRowReader(features, values, codes), values, codes };
}

describe('compileRowReader', () => {
  test('a valid row is read into values and codes by spec index, whatever the key order', () => {
    const { read, values, codes } = compile();
    expect(read({ shape: 'square', colour: 'blue', score: 700, x: 1.5 })).toBe(true);
    expect([values[0], values[1], codes[2], codes[3]]).toEqual([1.5, 700, 1, 1]);
  });

  test('an absent or null nullable feature reads as missing: NaN, or code -1', () => {
    const { read, values, codes } = compile();
    expect(read({ x: 1, colour: 'red' })).toBe(true);
    expect([values[1], codes[3]]).toEqual([Number.NaN, -1]);
    expect(read({ x: 1, score: null, colour: 'red', shape: null })).toBe(true);
    expect([values[1], codes[3]]).toEqual([Number.NaN, -1]);
  });

  test('an unseen category is valid data and codes as the number of known categories', () => {
    const { read, codes } = compile();
    expect(read({ x: 1, colour: 'green', shape: 'oval' })).toBe(true);
    expect([codes[2], codes[3]]).toEqual([2, 2]);
  });

  test.each([
    ['a missing feature that is not nullable', { colour: 'red' }],
    ['null for a feature that is not nullable', { x: null, colour: 'red' }],
    ['a non-finite number', { x: Number.POSITIVE_INFINITY, colour: 'red' }],
    ['NaN', { x: Number.NaN, colour: 'red' }],
    ['a numeric string for a numeric feature', { x: '1', colour: 'red' }],
    ['a number for a categorical feature', { x: 1, colour: 3 }],
    ["a Python NaN literal's sentinel as a category", { x: 1, colour: NAN_SENTINEL }],
    ['a key that is not a feature', { x: 1, colour: 'red', extra: 1 }],
    ['a nullable feature present with the value undefined', { x: 1, colour: 'red', score: undefined }],
  ])('a row with %s is refused, for the by-name check to name the problem', (_name, row) => {
    expect(compile().read(row)).toBe(false);
  });

  test('a feature inherited from the prototype is not an own key, so the row is refused', () => {
    const row = Object.create({ x: 1 }) as Record<string, unknown>;
    row['colour'] = 'red';
    expect(compile().read(row)).toBe(false);
  });

  test('names and categories with quotes, backslashes and line breaks are read as the text they are', () => {
    const features: FeatureSpec[] = [
      { name: 'a"b\\c\nd', type: 'numeric', nullable: false, drift_test: 'auto' },
      { name: "it's", type: 'categorical', nullable: false, categories: ['"x"', 'y\\', '\u2028'], drift_test: 'auto' },
    ];
    const { read, values, codes } = compile(features);
    expect(read({ 'a"b\\c\nd': 4, "it's": 'y\\' })).toBe(true);
    expect([values[0], codes[1]]).toEqual([4, 1]);
    expect(read({ 'a"b\\c\nd': 4, "it's": '\u2028' })).toBe(true);
    expect(codes[1]).toBe(2);
  });

  test('a feature with many categories codes them as one with few does', () => {
    const categories = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const { read, codes } = compile([
      { name: 'k', type: 'categorical', nullable: false, categories, drift_test: 'auto' },
    ]);
    expect(read({ k: 'c33' })).toBe(true);
    expect(codes[0]).toBe(33);
    expect(read({ k: 'unseen' })).toBe(true);
    expect(codes[0]).toBe(40);
    expect(read({ k: NAN_SENTINEL })).toBe(false);
  });
});
