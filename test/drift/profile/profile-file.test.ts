import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelSpec } from '../../../spec/src/schema';
import {
  ProfileError,
  ProfileMismatchError,
  checkProfileMatchesModel,
  loadProfile,
  writeProfile,
} from '../../../drift/src/profile/profile-file';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';

function tempFile(name: string, text?: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-profile-file-')), name);
  if (text !== undefined) writeFileSync(file, text);
  return file;
}

function profile(): ReferenceProfile {
  return {
    format: 'mlwatch.profile/1',
    model: 'fraud',
    source: { file: 'reference.csv', rows: 4 },
    sample_limit: 50_000,
    unique_limit: 1000,
    features: [
      {
        name: 'amount',
        type: 'numeric',
        count: 4,
        missing: 0,
        mean: 2.5,
        std: 1.118033988749895,
        unique: 4,
        edges: [1.3, 2.5, 3.7],
        proportions: [0.25, 0.25, 0.25, 0.25],
        sample: [1, 2, 3, 4],
      },
      {
        name: 'device',
        type: 'categorical',
        count: 4,
        missing: 1,
        categories: { mobile: 3, desktop: 0, __other__: 1 },
      },
    ],
    outputs: {
      prediction: {
        name: 'prediction',
        type: 'categorical',
        count: 4,
        missing: 0,
        categories: { legit: 3, fraud: 1, __other__: 0 },
      },
    },
  };
}

function model(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    name: 'fraud',
    task: 'binary_classification',
    classes: ['legit', 'fraud'],
    versions: [{ name: 'v1', weight: 1 }],
    features: [
      { name: 'amount', type: 'numeric', nullable: false, drift_test: 'auto' },
      { name: 'device', type: 'categorical', nullable: false, categories: ['mobile', 'desktop'], drift_test: 'auto' },
    ],
    fault_injection: false,
    ...overrides,
  };
}

const PLACE = { profileFile: 'fraud.profile.json', specFile: 'mlwatch.yaml', modelIndex: 0 };

function mismatchOf(edit: (p: ReferenceProfile, m: ModelSpec) => void): string {
  const p = profile();
  const m = model();
  edit(p, m);
  try {
    checkProfileMatchesModel(p, m, PLACE);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileMismatchError);
    return (error as Error).message;
  }
  throw new Error('expected a mismatch');
}

describe('writing and loading profiles', () => {
  test('a written profile loads back equal', async () => {
    const file = tempFile('p.json');
    await writeProfile(file, profile());
    expect(loadProfile(file)).toEqual(profile());
  });

  test('the file is indented JSON with each number list on one line and a trailing newline', async () => {
    const file = tempFile('p.json');
    await writeProfile(file, profile());
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n      "edges": [1.3, 2.5, 3.7],\n');
    expect(text).toContain('\n  "source": {\n    "file": "reference.csv",\n    "rows": 4\n  },\n');
    expect(JSON.parse(text)).toEqual(profile());
  });

  test('schema problems name the file and the path of each bad value', () => {
    const bad = profile() as unknown as { features: Record<string, unknown>[]; extra?: number };
    (bad.features[0] as Record<string, unknown>)['count'] = -1;
    (bad.features[1] as Record<string, unknown>)['type'] = 'text';
    bad.extra = 1;
    const file = tempFile('p.json', JSON.stringify(bad));
    expect(() => loadProfile(file)).toThrow(ProfileError);
    const message = captureMessage(() => loadProfile(file));
    expect(message).toMatch(new RegExp(`^${file} is not a valid mlwatch profile:\n`));
    expect(message).toContain('  - features[0].count: expected number to be >=1, got -1');
    expect(message).toContain("  - features[1].type: Invalid discriminator value. Expected 'numeric' | 'categorical'");
    expect(message).toContain('  - extra: unknown key');
  });

  test('a profile whose numbers contradict each other is refused with the path of each', () => {
    const bad = profile();
    const amount = bad.features[0] as Extract<ReferenceProfile['features'][number], { type: 'numeric' }>;
    amount.edges = [2, 1, 3];
    amount.sample = [1, 3, 2];
    amount.proportions = [0.5, 0.5];
    const file = tempFile('p.json', JSON.stringify(bad));
    const message = captureMessage(() => loadProfile(file));
    expect(message).toContain('  - features[0].edges: not ascending at index 1');
    expect(message).toContain('  - features[0].proportions: expected 4 shares (one more than the edges), got 2');
    expect(message).toContain('  - features[0].sample: not ascending at index 2');
  });

  test('category counts that do not add up to the count are refused', () => {
    const bad = profile();
    bad.features[1] = { name: 'device', type: 'categorical', count: 9, missing: 0, categories: { mobile: 3 } };
    const file = tempFile('p.json', JSON.stringify(bad));
    expect(() => loadProfile(file)).toThrow('features[1].categories: counts sum to 3, but count is 9');
  });

  test('a file that is not JSON, or is missing, is an error naming it', () => {
    const file = tempFile('p.json', '{"format": ');
    expect(() => loadProfile(file)).toThrow(`${file} is not a valid mlwatch profile:\n  - not valid JSON: `);
    expect(() => loadProfile('/nonexistent/p.json')).toThrow(
      '/nonexistent/p.json is not a valid mlwatch profile:\n  - cannot read the file: ',
    );
  });
});

describe('checkProfileMatchesModel', () => {
  test('a profile built for the model matches it', () => {
    expect(() => checkProfileMatchesModel(profile(), model(), PLACE)).not.toThrow();
  });

  test('a feature of the other type is named with both types', () => {
    expect(
      mismatchOf(
        (_, m) =>
          (m.features[0] = {
            name: 'amount',
            type: 'categorical',
            nullable: false,
            categories: ['x'],
            drift_test: 'auto',
          }),
      ),
    ).toBe(
      'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml: feature "amount" is numeric in the profile but categorical in the spec',
    );
  });

  test('a feature the profile lacks is named', () => {
    expect(
      mismatchOf((_, m) => m.features.push({ name: 'hour', type: 'numeric', nullable: false, drift_test: 'auto' })),
    ).toBe(
      'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml: feature "hour" is in the spec but not in the profile',
    );
  });

  test('a feature only the profile has is named', () => {
    expect(mismatchOf((_, m) => m.features.pop())).toBe(
      'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml: feature "device" is in the profile but not in the spec',
    );
  });

  test('different category sets name the categories on each side, ignoring __other__', () => {
    expect(mismatchOf((_, m) => ((m.features[1] as { categories: string[] }).categories = ['mobile', 'tablet']))).toBe(
      'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml: feature "device" has different categories: "tablet" only in the spec; "desktop" only in the profile',
    );
  });

  test('a profile of another model is named', () => {
    expect(mismatchOf((p) => (p.model = 'churn'))).toBe(
      'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml: the profile is for model "churn", not "fraud"',
    );
  });

  test('predicted classes that differ from the model classes are named', () => {
    expect(mismatchOf((_, m) => (m.classes = ['ok', 'fraud']))).toBe(
      'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml: the prediction profile has different classes: "ok" only in the spec; "legit" only in the profile',
    );
  });

  test('a categorical prediction profile does not fit a regression model', () => {
    expect(mismatchOf((_, m) => Object.assign(m, { task: 'regression', classes: undefined }))).toContain(
      "the prediction profile is categorical, but a regression model's predictions are numeric",
    );
  });

  test('calibration maps for a version or class the spec does not have are named', () => {
    const identity = { x: [0, 1], y: [0, 1] };
    const check = { rows: 20, ece_raw: 0.1, ece_calibrated: 0.05 };
    const message = mismatchOf((p) => {
      p.calibration = {
        method: 'isotonic',
        maps: { v1: { legit: identity, fraud: identity }, v9: { legit: identity, maybe: identity } },
        check: { v1: check, v9: check },
      };
    });
    expect(message).toBe(
      [
        'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml:',
        '  - the calibration has a map for version "v9", which the spec does not list',
        '  - the calibration of "v9" has maps for "maybe", not classes in the spec',
      ].join('\n'),
    );
    expect(() =>
      checkProfileMatchesModel(
        {
          ...profile(),
          calibration: { method: 'isotonic', maps: { '*': { fraud: identity } }, check: { '*': check } },
        },
        model(),
        PLACE,
      ),
    ).not.toThrow();
  });

  test('every mismatch is listed in one error, one per line', () => {
    const message = mismatchOf((p, m) => {
      p.model = 'churn';
      m.features.reverse();
      m.features.push({ name: 'hour', type: 'numeric', nullable: false, drift_test: 'auto' });
      (m.features[0] as { categories: string[] }).categories = ['mobile'];
    });
    expect(message).toBe(
      [
        'profile fraud.profile.json does not match models[0] (fraud) of mlwatch.yaml:',
        '  - the profile is for model "churn", not "fraud"',
        '  - feature "device" has different categories: "desktop" only in the profile',
        '  - feature "hour" is in the spec but not in the profile',
      ].join('\n'),
    );
  });
});

function captureMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}
