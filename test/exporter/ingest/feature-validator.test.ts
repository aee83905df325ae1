import type { ModelSpec } from '../../../spec/src/schema';
import { FeatureValidator } from '../../../exporter/src/ingest/feature-validator';

const MODEL: ModelSpec = {
  name: 'm',
  task: 'binary_classification',
  classes: ['no', 'yes'],
  versions: [{ name: 'v1', weight: 1 }],
  features: [
    { name: 'x', type: 'numeric', nullable: false, drift_test: 'auto' },
    { name: 'score', type: 'numeric', nullable: true, drift_test: 'auto' },
    { name: 'colour', type: 'categorical', nullable: false, categories: ['red', 'blue'], drift_test: 'auto' },
    { name: 'shape', type: 'categorical', nullable: true, categories: ['round', 'square'], drift_test: 'auto' },
  ],
  fault_injection: false,
};

/** Python's json.dumps writes NaN as a bare literal; lenient-json turns it into this sentinel. */
const NAN_SENTINEL = '\u0000mlwatch:NaN';

function read(validator: FeatureValidator): { values: number[]; codes: number[] } {
  return { values: Array.from(validator.row.values), codes: Array.from(validator.row.codes) };
}

describe('FeatureValidator', () => {
  test('a valid row passes and is read into the row arrays by spec index', () => {
    const validator = new FeatureValidator(MODEL);
    expect(validator.check({ x: 1.5, score: 700, colour: 'blue', shape: 'round' })).toBeNull();
    const { values, codes } = read(validator);
    expect([values[0], values[1]]).toEqual([1.5, 700]);
    expect([codes[2], codes[3]]).toEqual([1, 0]);
  });

  test('keys in another order than the spec read the same', () => {
    const validator = new FeatureValidator(MODEL);
    expect(validator.check({ shape: 'square', colour: 'red', score: 3, x: -2 })).toBeNull();
    const { values, codes } = read(validator);
    expect([values[0], values[1], codes[2], codes[3]]).toEqual([-2, 3, 0, 1]);
  });

  test('an absent or null nullable feature reads as missing: NaN for numbers, -1 for categories', () => {
    const validator = new FeatureValidator(MODEL);
    expect(validator.check({ x: 1, colour: 'red' })).toBeNull();
    expect(read(validator).values[1]).toBeNaN();
    expect(read(validator).codes[3]).toBe(-1);
    expect(validator.check({ x: 1, score: null, colour: 'red', shape: null })).toBeNull();
    expect(read(validator).values[1]).toBeNaN();
    expect(read(validator).codes[3]).toBe(-1);
  });

  test('an unseen category is data: it passes and reads as the code after the known ones', () => {
    const validator = new FeatureValidator(MODEL);
    expect(validator.check({ x: 1, colour: 'green' })).toBeNull();
    expect(read(validator).codes[2]).toBe(2);
  });

  test('each passing check replaces the row the previous one read', () => {
    const validator = new FeatureValidator(MODEL);
    validator.check({ x: 1, score: 2, colour: 'red', shape: 'round' });
    validator.check({ x: 9, colour: 'blue' });
    const { values, codes } = read(validator);
    expect(values[0]).toBe(9);
    expect(values[1]).toBeNaN();
    expect([codes[2], codes[3]]).toEqual([1, -1]);
  });

  test('a category that only starts with NUL is a category, not a non-finite sentinel', () => {
    const validator = new FeatureValidator(MODEL);
    expect(validator.check({ x: 1, colour: '\u0000red' })).toBeNull();
    expect(read(validator).codes[2]).toBe(2);
  });

  test.each([
    ['a required feature is absent', { colour: 'red' }, 'missing_feature', 'features.x: required'],
    [
      'a required feature is null',
      { x: null, colour: 'red' },
      'missing_feature',
      'features.x: null, but the feature is not nullable',
    ],
    [
      'a number is sent as text',
      { x: '3', colour: 'red' },
      'invalid_feature_type',
      'features.x: expected a number, got "3" (a string)',
    ],
    [
      'a number is NaN',
      { x: NAN_SENTINEL, colour: 'red' },
      'non_finite_value',
      'features.x: expected a finite number, got NaN',
    ],
    [
      'a category is a number',
      { x: 1, colour: 4 },
      'invalid_feature_type',
      'features.colour: expected a category (string), got 4 (a number)',
    ],
    [
      'a category is NaN',
      { x: 1, colour: NAN_SENTINEL },
      'non_finite_value',
      'features.colour: expected a category (string), got NaN',
    ],
    [
      'a key is not a feature',
      { x: 1, colour: 'red', size: 3 },
      'unknown_feature',
      'features.size: not a feature of this model',
    ],
  ])('refused when %s, with the reason and a message naming the field', (_case, features, reason, message) => {
    const problem = new FeatureValidator(MODEL).check(features);
    expect(problem).toEqual({ reason, field: message.slice(0, message.indexOf(':')), message });
  });

  test('the first problem is named in spec order, whatever order the keys come in', () => {
    const validator = new FeatureValidator(MODEL);
    // The unknown key comes first and colour is bad, but x (first in the spec) is what is missing first.
    expect(validator.check({ size: 1, colour: 7 })?.message).toBe('features.x: required');
    expect(validator.check({ size: 1, colour: 7, x: 1 })?.message).toBe(
      'features.colour: expected a category (string), got 7 (a number)',
    );
  });

  test('a value that is not an object is refused under the given field name', () => {
    expect(new FeatureValidator(MODEL).check([1, 2], 'events[3].features')).toEqual({
      reason: 'invalid_field',
      field: 'events[3].features',
      message: 'events[3].features: expected an object of feature values, got a list',
    });
  });
});
