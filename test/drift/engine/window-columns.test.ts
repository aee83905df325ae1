import { codeCounts, presentValues, sortedCopy } from '../../../drift/src/engine/window-columns';

describe('numeric window columns', () => {
  test('missing values (NaN) are left out, in window order', () => {
    expect(Array.from(presentValues(Float64Array.of(3, NaN, 1, NaN, 2)))).toEqual([3, 1, 2]);
  });

  test('a column without missing values is used as it is, not copied', () => {
    const column = Float64Array.of(1, 2);
    expect(presentValues(column)).toBe(column);
  });

  test('sortedCopy sorts small and large windows ascending without touching the input', () => {
    for (const n of [5, 3000]) {
      const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 1e3);
      const copy = Float64Array.from(values);
      const sorted = sortedCopy(values);
      expect(Array.from(sorted)).toEqual(Array.from(values).sort((a, b) => a - b));
      expect(values).toEqual(copy);
    }
  });
});

describe('categorical window columns', () => {
  test('codes are counted per category with __other__ last; -1 (missing) is skipped', () => {
    expect(Array.from(codeCounts(Int32Array.of(0, 2, -1, 2, 1, 3), 4, 'country'))).toEqual([1, 1, 2, 1]);
  });

  test('a code outside the categories is an error naming the column, index and code', () => {
    expect(() => codeCounts(Int32Array.of(0, 7), 4, 'country')).toThrow(
      'country: window code at index 1 is 7, expected -1 (missing) or 0 … 3',
    );
    expect(() => codeCounts(Int32Array.of(-2), 4, 'country')).toThrow('window code at index 0 is -2');
  });
});
