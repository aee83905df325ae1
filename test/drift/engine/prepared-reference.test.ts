import { prepareCategoricalReference, prepareNumericReference } from '../../../drift/src/engine/prepared-reference';
import { categoricalProfile, numericProfile } from './fixtures';

describe('numeric references', () => {
  test('the sorted sample, edges and reference bin counts become typed arrays', () => {
    const profile = numericProfile('age', [5, 1, 4, 2, 3, 6, 8, 7, 10, 9]);
    const prepared = prepareNumericReference(profile, 'feature "age"');
    expect(Array.from(prepared.sorted)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(prepared.edges)).toEqual(profile.edges);
    // Proportions times the reference count: chi-square sees the reference's real size.
    expect(Array.from(prepared.binCounts).reduce((a, b) => a + b, 0)).toBeCloseTo(10, 12);
    expect(prepared.std).toBe(profile.std);
  });

  test('a profile is prepared once and the arrays are shared by later evaluations', () => {
    const profile = numericProfile('age', [1, 2, 3]);
    expect(prepareNumericReference(profile, 'feature "age"')).toBe(prepareNumericReference(profile, 'feature "age"'));
  });

  test('an unsorted reference sample is rejected, naming the feature, the index and the values', () => {
    const profile = { ...numericProfile('age', [1, 2, 3]), sample: [1, 3, 2] };
    expect(() => prepareNumericReference(profile, 'feature "age"')).toThrow(
      'feature "age": reference sample is not sorted ascending at index 2 (3 then 2)',
    );
  });

  test('a non-finite reference value is rejected, naming the index', () => {
    const profile = { ...numericProfile('age', [1, 2, 3]), sample: [1, Infinity] };
    expect(() => prepareNumericReference(profile, 'feature "age"')).toThrow(
      'feature "age": reference sample[1] is not a finite number (got Infinity)',
    );
  });

  test('proportions that do not match the edges are rejected with both lengths', () => {
    const profile = { ...numericProfile('age', [1, 2, 3]), proportions: [0.5, 0.5] };
    expect(() => prepareNumericReference(profile, 'feature "age"')).toThrow(
      'feature "age": reference has 9 edges, so 10 proportions, but got 2',
    );
  });

  test('the reference count is kept beside the sample, and a count smaller than the sample is rejected', () => {
    const subsampled = { ...numericProfile('age', [1, 2, 3]), count: 3000 };
    expect(prepareNumericReference(subsampled, 'feature "age"').count).toBe(3000);
    const profile = { ...numericProfile('age', [1, 2, 3]), count: 2 };
    expect(() => prepareNumericReference(profile, 'feature "age"')).toThrow(
      'feature "age": reference count 2 is smaller than its sample of 3 values',
    );
  });

  test('descending edges are rejected', () => {
    const profile = { ...numericProfile('age', [1, 2, 3]), edges: [2, 1], proportions: [0.2, 0.3, 0.5] };
    expect(() => prepareNumericReference(profile, 'feature "age"')).toThrow(
      'feature "age": reference edges are not ascending at index 1 (2 then 1)',
    );
  });
});

describe('categorical references', () => {
  test('counts follow the window codes: the given names in order, then __other__', () => {
    const prepared = prepareCategoricalReference(categoricalProfile('country', { fr: 5, de: 3, __other__: 2, us: 7 }), [
      'us',
      'fr',
      'de',
    ]);
    expect(prepared.labels).toEqual(['us', 'fr', 'de', '__other__']);
    expect(Array.from(prepared.counts)).toEqual([7, 5, 3, 2]);
  });

  test('profile categories the spec no longer lists are folded into __other__, as unseen values are', () => {
    const prepared = prepareCategoricalReference(categoricalProfile('country', { fr: 5, it: 4, __other__: 1 }), [
      'fr',
      'de',
    ]);
    expect(Array.from(prepared.counts)).toEqual([5, 0, 5]);
  });
});
