import {
  IDENTITY_CALIBRATION,
  MIN_CALIBRATION_ROWS,
  fitCalibration,
  type CalibrationRows,
} from '../../../drift/src/quality/fit-calibration';
import { calibrate, calibrationSchema } from '../../../drift/src/quality/calibration-map';
import { defined } from '../../support/defined';
import { syntheticRows } from './synthetic-model';

const CLASSES = ['no', 'yes'];

/** A binary model's rows: probabilities [no, yes], labels and the predicted class (yes above 0.5). */
function binaryRows(yes: readonly number[], labels: readonly number[]): CalibrationRows {
  return {
    probabilities: yes.flatMap((p) => [1 - p, p]),
    labels,
    predicted: yes.map((p) => (p > 0.5 ? 1 : 0)),
  };
}

function fitOne(rows: CalibrationRows) {
  const fitted = fitCalibration(new Map([['*', rows]]), CLASSES);
  return {
    ...fitted,
    key: defined(fitted.keys[0], 'the * key'),
    calibration: defined(fitted.calibration, 'a calibration'),
  };
}

describe('fitCalibration', () => {
  test('an over-confident model (log-odds ×3) gets a map that cuts its held-out ECE from 0.124 to 0.031', () => {
    const { yes, labels } = syntheticRows(5000, 3, 1);
    const { key, calibration } = fitOne(binaryRows(yes, labels));
    expect(key).toMatchObject({ key: '*', fitRows: 4000, checkRows: 1000, stored: 'isotonic' });
    expect(key.eceRaw).toBeCloseTo(0.12446, 5);
    expect(key.eceCalibrated).toBeCloseTo(0.031371, 5);
    expect(calibration.check['*']).toEqual({
      rows: 1000,
      ece_raw: 0.12446,
      ece_calibrated: 0.0313707,
      stored: 'isotonic',
      fit_rows: 4000,
    });
    // The map pulls the over-confident probabilities back toward the truth: a reported 0.01 is
    // really sigmoid(logit(0.01) / 3) = 0.18, a reported 0.99 really 0.82.
    const map = defined(calibration.maps['*']?.yes, 'the yes map');
    expect(calibrate(map, 0.01)).toBeGreaterThan(0.1);
    expect(calibrate(map, 0.99)).toBeLessThan(0.9);
    expect(calibrationSchema.safeParse(calibration).success).toBe(true);
  });

  test('an under-confident model (log-odds ×0.4) is sharpened: held-out ECE 0.128 to 0.029', () => {
    const { yes, labels } = syntheticRows(5000, 0.4, 3);
    const { key } = fitOne(binaryRows(yes, labels));
    expect(key.eceRaw).toBeCloseTo(0.128374, 5);
    expect(key.eceCalibrated).toBeCloseTo(0.029003, 5);
  });

  test('a perfectly calibrated model keeps about the same ECE (0.0138 raw, 0.0092 calibrated)', () => {
    const { yes, labels } = syntheticRows(5000, 1, 2);
    const { key } = fitOne(binaryRows(yes, labels));
    expect(key.eceRaw).toBeCloseTo(0.013795, 5);
    expect(key.eceCalibrated).toBeCloseTo(0.009242, 5);
    expect(Math.abs(key.eceCalibrated - key.eceRaw)).toBeLessThan(0.01);
  });

  test('a fit that raises the held-out ECE is not stored: every class keeps the identity', () => {
    // Every training row of p(yes) = 0.9 is a "no" and every held-out one a "yes": the fit says 0.
    const yes = Array.from({ length: 100 }, () => 0.9);
    const labels = yes.map((_, i) => ((i + 1) % 5 === 0 ? 1 : 0));
    const { key, calibration } = fitOne(binaryRows(yes, labels));
    expect(key).toMatchObject({ stored: 'identity', fitRows: 80, checkRows: 20 });
    expect(key.eceRaw).toBeCloseTo(0.1, 12);
    expect(key.eceCalibrated).toBeCloseTo(1, 12);
    expect(calibration.maps['*']).toEqual({ no: IDENTITY_CALIBRATION, yes: IDENTITY_CALIBRATION });
    expect(calibration.check['*']?.stored).toBe('identity');
  });

  test('a small calibrated sample whose fit overfits keeps the identity too (200 rows: 0.085 raw, 0.103 fitted)', () => {
    const { yes, labels } = syntheticRows(200, 1, 4);
    const { key } = fitOne(binaryRows(yes, labels));
    expect(key.stored).toBe('identity');
    expect(key.eceRaw).toBeCloseTo(0.08527, 5);
    expect(key.eceCalibrated).toBeCloseTo(0.10333, 5);
  });

  test(`a key with fewer than ${MIN_CALIBRATION_ROWS} rows gets no map`, () => {
    const { yes, labels } = syntheticRows(MIN_CALIBRATION_ROWS - 1, 3, 5);
    const fitted = fitCalibration(new Map([['v1', binaryRows(yes, labels)]]), CLASSES);
    expect(fitted.calibration).toBeUndefined();
    expect(fitted.keys).toEqual([
      { key: 'v1', fitRows: 80, checkRows: 19, eceRaw: NaN, eceCalibrated: NaN, stored: 'none' },
    ]);
  });

  test('one map per key, in key order, each checked on its own held-out rows', () => {
    const sharp = syntheticRows(1000, 3, 6);
    const calibrated = syntheticRows(1000, 1, 7);
    const fitted = fitCalibration(
      new Map([
        ['v2', binaryRows(calibrated.yes, calibrated.labels)],
        ['v1', binaryRows(sharp.yes, sharp.labels)],
      ]),
      CLASSES,
    );
    expect(fitted.keys.map((k) => k.key)).toEqual(['v1', 'v2']);
    expect(Object.keys(defined(fitted.calibration, 'calibration').maps)).toEqual(['v1', 'v2']);
    expect(fitted.keys.map((k) => k.checkRows)).toEqual([200, 200]);
    expect(defined(fitted.keys[0], 'v1').eceRaw).toBeGreaterThan(0.1);
    expect(defined(fitted.keys[1], 'v2').eceRaw).toBeLessThan(0.05);
  });
});
