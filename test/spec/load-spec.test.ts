import { parseSpec } from '../../spec/src/load-spec';
import { SpecError } from '../../spec/src/spec-error';
import { loadSpec } from '../../spec/src/load-spec';
import path from 'node:path';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, readDemoSpec } from '../support/demo-spec';
import { arrayAt, objectAt, type Doc } from '../support/document';

const demoText = readFileSync(path.join(REPO_ROOT, 'mlwatch.yaml'), 'utf8');

function demoWith(edit: (spec: Doc) => void): string {
  const spec = readDemoSpec();
  edit(spec);
  return yaml.dump(spec);
}

function problemsOf(text: string): string[] {
  try {
    parseSpec(text, 'test.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}

describe('loadSpec', () => {
  test('the demo spec is valid and has at least 8 features, a nullable one and two weighted versions', () => {
    const { spec } = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
    const [model] = spec.models;
    if (model === undefined) throw new Error('the demo spec has no model');
    expect(model.features.length).toBeGreaterThanOrEqual(8);
    expect(model.features.some((f) => f.nullable)).toBe(true);
    expect(new Set(model.features.map((f) => f.type))).toEqual(new Set(['numeric', 'categorical']));
    expect(model.versions.map((v) => v.weight)).toEqual([0.9, 0.1]);
  });

  test('defaults fill in what the spec leaves out', () => {
    const { spec } = parseSpec(
      demoWith((s) => {
        delete s['exporter'];
        delete s['logging'];
        delete s['auth'];
      }),
      'x.yaml',
    );
    expect(spec.exporter).toEqual({
      port: 9420,
      host: '127.0.0.1',
      max_batch_events: 10000,
      max_body_bytes: 16 * 1024 * 1024,
      recent_ids: { capacity: 100_000, max_age_seconds: null },
      max_event_bytes: 64 * 1024,
      max_inflight_body_bytes: 64 * 1024 * 1024,
    });
    expect(spec.logging.sample_rate).toEqual({ predict: 0.1, ingest: 0.01 });
    // No token anywhere: every scope open, which serve allows on loopback only.
    expect(spec.auth).toEqual({
      write: { token_files: [], token_env: [] },
      read: { token_files: [], token_env: [] },
      allow_unauthenticated: false,
    });
  });

  test('auth names environment variables and absolute credentials files, and says so when they are not', () => {
    expect(
      problemsOf(
        demoWith((s) => {
          objectAt(s, 'auth', 'write')['token_env'] = ['MLWATCH-TOKEN'];
          objectAt(s, 'prometheus')['credentials_file'] = 'secrets/read';
        }),
      ),
    ).toEqual([
      'auth.write.token_env[0]: expected an environment variable name like MLWATCH_WRITE_TOKEN',
      'prometheus.credentials_file: expected an absolute path, as Prometheus sees it (e.g. /run/secrets/mlwatch_read_token)',
    ]);
  });

  test('paths resolve relative to the spec file', () => {
    const loaded = parseSpec(demoText, '/some/dir/mlwatch.yaml');
    expect(loaded.resolve('models/a.json')).toBe('/some/dir/models/a.json');
  });

  test('a mistyped feature type names the path and the bad value', () => {
    const problems = problemsOf(
      demoWith((s) => {
        objectAt(s, 'models', 0, 'features', 3)['type'] = 'nummeric';
      }),
    );
    expect(problems).toEqual(['models[0].features[3].type: expected "numeric" | "categorical", got "nummeric"']);
  });

  test('an unknown key is rejected with its path', () => {
    expect(
      problemsOf(
        demoWith((s) => {
          objectAt(s, 'models', 0)['featurez'] = [];
        }),
      ),
    ).toEqual(['models[0].featurez: unknown key']);
  });

  test('a wrong type names the expected type and the value', () => {
    expect(
      problemsOf(
        demoWith((s) => {
          objectAt(s, 'slo')['latency_target_seconds'] = '250ms';
        }),
      ),
    ).toEqual(['slo.latency_target_seconds: expected number, got "250ms"']);
  });

  test('a missing required key says so', () => {
    expect(
      problemsOf(
        demoWith((s) => {
          delete s['slo'];
        }),
      ),
    ).toEqual(['slo: required (expected object)']);
  });

  test('duplicate feature names are rejected at the duplicate', () => {
    const problems = problemsOf(
      demoWith((s) => {
        objectAt(s, 'models', 0, 'features', 2)['name'] = 'amount';
      }),
    );
    expect(problems).toEqual(['models[0].features[2].name: duplicate feature name "amount"']);
  });

  test('weights that do not sum to 1 are rejected with the weights', () => {
    const problems = problemsOf(
      demoWith((s) => {
        objectAt(s, 'models', 0, 'versions', 1)['weight'] = 0.2;
      }),
    );
    expect(problems).toEqual(['models[0].versions: weights must sum to 1, got 1.1 (v1=0.9, v2=0.2)']);
  });

  test('a categorical feature needs categories and a classifier needs classes', () => {
    const problems = problemsOf(
      demoWith((s) => {
        delete objectAt(s, 'models', 0, 'features', 7)['categories'];
        delete objectAt(s, 'models', 0)['classes'];
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'models[0].classes: required for task "binary_classification"',
        'models[0].features[7].categories: required for a categorical feature',
      ]),
    );
  });

  test('the category reserved for unseen values cannot be declared', () => {
    const problems = problemsOf(
      demoWith((s) => {
        arrayAt(s, 'models', 0, 'features', 7, 'categories').push('__other__');
      }),
    );
    expect(problems).toEqual(['models[0].features[7].categories[7]: "__other__" is reserved for unseen categories']);
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf(
      demoWith((s) => {
        objectAt(s, 'alerts')['mean_confidence_floor'] = 2;
        objectAt(s, 'exporter')['port'] = 0;
      }),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/alerts\.mean_confidence_floor: .*<=1.*got 2/);
    expect(problems.join('\n')).toMatch(/exporter\.port: .*>=1.*got 0/);
  });

  test('a numeric-only drift test on a categorical feature is rejected at load', () => {
    const problems = problemsOf(
      demoWith((s) => {
        objectAt(s, 'models', 0, 'features', 7)['drift_test'] = 'ks';
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^models\[0\]\.features\[7\]\.drift_test: drift_test "ks" needs a numeric feature, but "merchant_category" is categorical/,
      ),
    ]);
  });

  test('an in-flight body cap below one body is refused, naming both settings', () => {
    const problems = problemsOf(
      demoWith((s) => {
        objectAt(s, 'exporter')['max_body_bytes'] = 4096;
        objectAt(s, 'exporter')['max_inflight_body_bytes'] = 2048;
      }),
    );
    expect(problems).toEqual([
      'exporter.max_inflight_body_bytes: must be at least exporter.max_body_bytes (4096), got 2048',
    ]);
  });

  test('invalid YAML is reported as such', () => {
    expect(problemsOf('models: [')[0]).toMatch(/^not valid YAML: /);
  });

  test('a missing file names the file', () => {
    expect(() => loadSpec('/nonexistent/mlwatch.yaml')).toThrow(
      /\/nonexistent\/mlwatch.yaml is not a valid mlwatch spec:\n {2}- cannot read the file/,
    );
  });
});
