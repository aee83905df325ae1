import { ColumnStats, MAX_TRACKED_VALUES } from '../../../cli/src/init/column-stats';
import { MAX_CATEGORIES, inferFeatures } from '../../../cli/src/init/infer-features';

function column(name: string, cells: readonly (string | null)[]): ColumnStats {
  const stats = new ColumnStats(name);
  for (const cell of cells) stats.add(cell);
  return stats;
}

describe('inferFeatures', () => {
  test('a column of decimal numbers is numeric; one empty cell makes it nullable', () => {
    const { features } = inferFeatures([column('amount', ['1.5', '-2', '3e2']), column('score', ['700', null, '650'])]);
    expect(features).toEqual([
      { name: 'amount', type: 'numeric', nullable: false },
      { name: 'score', type: 'numeric', nullable: true },
    ]);
  });

  test('one value that is not a decimal number makes the column categorical, categories most frequent first', () => {
    const { features } = inferFeatures([column('code', ['10', '0x1F', '10', 'b', 'a', 'b', '10', null])]);
    expect(features).toEqual([
      { name: 'code', type: 'categorical', nullable: true, categories: ['10', 'b', '0x1F', 'a'] },
    ]);
  });

  test('a categorical column with more values than are listed keeps the most frequent and says so', () => {
    const cells = Array.from({ length: MAX_CATEGORIES + 5 }, (_, i) => `c${i}`);
    const [feature] = inferFeatures([column('city', [...cells, 'c7', 'c7'])]).features;
    expect(feature?.categories).toHaveLength(MAX_CATEGORIES);
    expect(feature?.categories?.[0]).toBe('c7');
    expect(feature?.note).toBe(`the ${MAX_CATEGORIES} most frequent values; rarer ones count as __other__`);
  });

  test('the reserved __other__ value is not a category', () => {
    const [feature] = inferFeatures([column('kind', ['a', '__other__', 'b'])]).features;
    expect(feature?.categories).toEqual(['a', 'b']);
  });

  test('columns that cannot be features are skipped with a reason: bad names, all missing, excluded', () => {
    const { features, skipped } = inferFeatures(
      [
        column('ok', ['1']),
        column('2nd', ['1']),
        column('constructor', ['1']),
        column('gap', [null, null]),
        column('label', ['x']),
      ],
      new Set(['label']),
    );
    expect(features.map((f) => f.name)).toEqual(['ok']);
    expect(skipped.map((s) => [s.name, s.reason.split(' ')[0]])).toEqual([
      ['2nd', 'not'],
      ['constructor', 'not'],
      ['gap', 'every'],
      ['label', 'excluded'],
    ]);
  });

  test('a column stops remembering new values past its limit, and still tells numbers from text', () => {
    const stats = column(
      'id',
      Array.from({ length: MAX_TRACKED_VALUES + 3 }, (_, i) => String(i)),
    );
    expect(stats.counts.size).toBe(MAX_TRACKED_VALUES);
    expect(stats.overflowed).toBe(true);
    expect(stats.numeric).toBe(true);
    stats.add('n/a');
    expect(stats.numeric).toBe(false);
  });
});
