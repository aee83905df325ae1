import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureSpec, ModelSpec } from '../../../spec/src/schema';
import { buildProfile } from '../../../drift/src/profile/build-profile';
import type { CalibrationOutcome } from '../../../drift/src/profile/calibration-columns';
import { parseProfile } from '../../../drift/src/profile/profile-file';
import { defined } from '../../support/defined';
import { syntheticRows } from '../quality/synthetic-model';

function write(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-calibration-')), name);
  writeFileSync(file, text);
  return file;
}

const X: FeatureSpec = { name: 'x', type: 'numeric', nullable: true, drift_test: 'auto' };

function model(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return {
    name: 'm',
    task: 'binary_classification',
    classes: ['no', 'yes'],
    versions: [
      { name: 'v1', weight: 0.5 },
      { name: 'v2', weight: 0.5 },
    ],
    features: [X],
    fault_injection: false,
    ...overrides,
  };
}

/** A CSV of 2,000 rows: feature x, then the given calibration columns of an over-confident model. */
function syntheticCsv(columns: 'proba' | 'confidence' | 'versions'): string {
  const { yes, labels } = syntheticRows(2000, 3, 11);
  const header = {
    proba: 'x,label,proba_no,proba_yes',
    confidence: 'x,label,prediction,confidence',
    versions: 'x,version,label,proba_no,proba_yes',
  }[columns];
  const lines = yes.map((p, i) => {
    const label = labels[i] === 1 ? 'yes' : 'no';
    if (columns === 'confidence') return `${i},${label},${p > 0.5 ? 'yes' : 'no'},${p > 0.5 ? p : 1 - p}`;
    // v2 reports the truth-ish probabilities squeezed back: every other row is v2's and calibrated.
    const version = columns === 'versions' ? `${i % 2 === 0 ? 'v1' : 'v2'},` : '';
    return `${i},${version}${label},${1 - p},${p}`;
  });
  return `${header}\n${lines.join('\n')}\n`;
}

async function calibrationOf(text: string, spec = model()): Promise<CalibrationOutcome> {
  return (await buildProfile(write('ref.csv', text), spec)).calibration;
}

function fitted(outcome: CalibrationOutcome) {
  if (outcome.kind !== 'fitted') throw new Error(`expected a fitted calibration, got none: ${outcome.reason}`);
  return outcome;
}

describe('the calibration mlwatch profile fits from a reference file', () => {
  test('label and proba_<class> columns give a `*` map stored in the profile, which still validates', async () => {
    const file = write('ref.csv', syntheticCsv('proba'));
    const built = await buildProfile(file, model());
    const outcome = fitted(built.calibration);
    expect(outcome.source).toBe('proba');
    expect(outcome.keys.map((k) => [k.key, k.fitRows, k.checkRows, k.stored])).toEqual([['*', 1600, 400, 'isotonic']]);
    const check = defined(built.profile.calibration?.check['*'], 'the * check');
    expect(check.ece_calibrated).toBeLessThan(check.ece_raw);
    expect(check.ece_raw).toBeGreaterThan(0.1);
    expect(Object.keys(defined(built.profile.calibration?.maps['*'], 'the * maps'))).toEqual(['no', 'yes']);
    expect(() => parseProfile(JSON.parse(JSON.stringify(built.profile)), file)).not.toThrow();
  });

  test('a binary model\'s "prediction" and "confidence" give the same map as its class probabilities', async () => {
    const byProba = await buildProfile(write('a.csv', syntheticCsv('proba')), model());
    const byConfidence = await buildProfile(write('b.csv', syntheticCsv('confidence')), model());
    expect(fitted(byConfidence.calibration).source).toBe('confidence');
    expect(byConfidence.profile.calibration?.check).toEqual(byProba.profile.calibration?.check);
    // The prediction column is also the output profile, as before.
    expect(byConfidence.outputs).toBe('file');
    expect(byProba.outputs).toBe('none');
  });

  test('a version column gives one map per version, each checked on its own held-out rows', async () => {
    const built = await buildProfile(write('ref.csv', syntheticCsv('versions')), model());
    const outcome = fitted(built.calibration);
    expect(outcome.keys.map((k) => [k.key, k.fitRows, k.checkRows])).toEqual([
      ['v1', 800, 200],
      ['v2', 800, 200],
    ]);
    expect(Object.keys(defined(built.profile.calibration, 'calibration').maps)).toEqual(['v1', 'v2']);
  });

  test('rows of a version the model does not have are left out and counted; unlabelled rows too', async () => {
    const text = syntheticCsv('versions')
      .replace(/\n(\d+),v2,/g, '\n$1,v0,')
      .replace(/\n(1\d),v1,(yes|no),/g, '\n$1,v1,,');
    const outcome = fitted(await calibrationOf(text));
    expect(outcome.otherVersions).toEqual({ v0: 1000 });
    expect(outcome.unlabelled).toBe(5);
    expect(outcome.keys.map((k) => [k.key, k.fitRows + k.checkRows])).toEqual([['v1', 995]]);
  });

  test.each([
    [
      'x,label,proba_no,proba_yes\n1,no,0.9,0.1\n2,yes,0.2,0.8\n3,maybe,0.5,0.5\n',
      'data row 3, column "label": "maybe" is not one of the classes of m (no, yes)',
    ],
    [
      'x,label,prediction,confidence\n1,no,no,0.9\n2,yes,yess,0.8\n',
      'data row 2, column "prediction": "yess" is not one of the classes of m (no, yes)',
    ],
    [
      'x,label,proba_no,proba_yes\n1,no,0.9,\n',
      'data row 1, column "proba_yes": missing: a labelled row needs the model probabilities',
    ],
    [
      'x,label,proba_no,proba_yes\n1,no,0.9,0.1\n2,no,1.2,-0.2\n',
      'data row 2, column "proba_no": 1.2 is not a probability (0 to 1)',
    ],
    [
      'x,label,proba_no,proba_yes\n1,no,0.6,0.6\n',
      'data row 1, column "proba_no", "proba_yes": the class probabilities sum to 1.2, not 1',
    ],
    [
      'x,label,proba_yes\n1,no,0.6\n',
      'has proba_ columns but none for "proba_no": give one probability column per class, or none',
    ],
  ])('bad calibration input is an error naming the row and column: %#', async (text, message) => {
    const file = write('ref.csv', text);
    await expect(buildProfile(file, model())).rejects.toThrow(`${file}: ${message}`);
  });

  test.each<[string, string, Partial<ModelSpec>]>([
    ['no label column', 'x,proba_no,proba_yes\n1,0.9,0.1\n', {}],
    ['no probability columns', 'x,label\n1,no\n', {}],
    [
      'a multiclass model with only "confidence"',
      'x,label,prediction,confidence\n1,a,a,0.9\n',
      { task: 'multiclass_classification', classes: ['a', 'b', 'c'] },
    ],
    [
      'a feature called "label"',
      'x,label,proba_no,proba_yes\n1,2,0.9,0.1\n',
      { features: [X, { ...X, name: 'label' }] },
    ],
    ['a regression model', 'x,label,prediction\n1,2.5,2.4\n', { task: 'regression', classes: undefined }],
  ])('%s: no calibration, and why', async (_what, text, overrides) => {
    const outcome = await calibrationOf(text, model(overrides));
    expect(outcome.kind).toBe('none');
  });

  test('the reasons for no calibration name what is missing', async () => {
    expect(await calibrationOf('x,proba_no,proba_yes\n1,0.9,0.1\n')).toEqual({
      kind: 'none',
      reason: 'no "label" column',
    });
    expect(await calibrationOf('x,label\n1,no\n')).toEqual({
      kind: 'none',
      reason: 'no probability columns ("proba_no" and "proba_yes", or "prediction" with "confidence")',
    });
    expect(
      await calibrationOf(
        'x,label,prediction,confidence\n1,a,a,0.9\n',
        model({ task: 'multiclass_classification', classes: ['a', 'b', 'c'] }),
      ),
    ).toEqual({
      kind: 'none',
      reason:
        'no probability columns ("proba_a", "proba_b", "proba_c"; "confidence" alone does not give the other classes\' probabilities)',
    });
  });

  test('a multiclass model calibrates one-vs-rest from one probability column per class', async () => {
    const { yes, labels } = syntheticRows(1000, 3, 12);
    const lines = yes.map((p, i) => `${i},${labels[i] === 1 ? 'b' : 'a'},${(1 - p) * 0.9},${p * 0.9},0.1`);
    const outcome = fitted(
      await calibrationOf(
        `x,label,proba_a,proba_b,proba_c\n${lines.join('\n')}\n`,
        model({ task: 'multiclass_classification', classes: ['a', 'b', 'c'] }),
      ),
    );
    const [key] = outcome.keys;
    expect(key?.stored).toBe('isotonic');
    expect(defined(key, 'key').eceCalibrated).toBeLessThan(defined(key, 'key').eceRaw);
  });
});
