import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSpec } from '../../spec/src/load-spec';
import { specKeys, specReferenceTable, withSpecTable } from '../../cli/src/spec-reference';
import { REPO_ROOT } from '../support/demo-spec';

/** Every key path of a parsed spec, list items written `[]`, as the table names them. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const keyPath = prefix === '' ? key : `${prefix}.${key}`;
    return [keyPath, ...keyPaths(child, keyPath)];
  });
}

/** Whether the table names `keyPath`: a `<placeholder>` segment of a named path (a record's key, e.g. `<class>`) stands for any one key. */
function namedBy(named: readonly string[]): (keyPath: string) => boolean {
  const patterns = named.map((p) => {
    const segments = p.split(/<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${segments.join('[^.\\[\\]]+')}$`);
  });
  return (keyPath) => patterns.some((pattern) => pattern.test(keyPath));
}

describe('the README table of spec keys', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  test('README.md holds the table as the schema generates it now (npm run docs:spec)', () => {
    expect(withSpecTable(readme, specReferenceTable())).toBe(readme);
  });

  test('names every key of the demo spec once its defaults are filled in, with each default', () => {
    const { spec } = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
    const isNamed = namedBy(specKeys().map((key) => key.path));
    const paths = [...new Set(keyPaths(spec))];
    expect(paths.length).toBeGreaterThan(100);
    expect(paths.filter((p) => !isNamed(p))).toEqual([]);
    // The demo's protected class is a record key: named by the placeholder, its floor under it.
    expect(paths).toContain('models[].quality.protected_classes.fraud.recall_floor');
    const table = specReferenceTable();
    expect(table).toContain(
      '| `models[].quality.protected_classes.<class>.recall_floor` | number, ≥ 0, ≤ 1 | required | — |',
    );
    expect(table).toContain('| `exporter.port` | integer, ≥ 1, ≤ 65535 | optional | `9420` |');
    expect(table).toContain('| `slo.latency_target_seconds` | number, > 0, ≤ 10 | required | — |');
    expect(table).toContain('| `models[].features[].nullable` | boolean | optional | `false` |');
  });

  test('a README without the markers is refused rather than silently left alone', () => {
    expect(() => withSpecTable('# no table here\n', specReferenceTable())).toThrow(/has no "<!-- spec-keys/);
  });
});
