/**
 * Fits a classifier's calibration map from labelled rows with the model's probabilities:
 * isotonic regression one-vs-rest per class on a deterministic training split, checked on the
 * held-out rows by expected calibration error, kept only when it does not make that worse.
 */
import { calibrateProbabilities, type Calibration, type ClassCalibration } from './calibration-map';
import { expectedCalibrationError } from './calibration-error';
import { fitIsotonic } from './isotonic';

/** Every HOLDOUT_EVERY-th row of a map's rows (the 5th, 10th, …) is held out; the rest fit the map. */
export const HOLDOUT_EVERY = 5;
/** Fewer labelled rows than this under one key give no map (raw probabilities): 80 to fit, 20 to check. */
export const MIN_CALIBRATION_ROWS = 100;
/** The map every class keeps when the isotonic one would have raised the held-out error. */
export const IDENTITY_CALIBRATION: ClassCalibration = Object.freeze({ x: [0, 1], y: [0, 1] });

/** The labelled rows of one map key (a version, or `*`), in file order. */
export interface CalibrationRows {
  /** Row-major class probabilities: `classes.length` per row, in `classes` order. */
  readonly probabilities: readonly number[];
  /** Index in `classes` of each row's label. */
  readonly labels: readonly number[];
  /** Index in `classes` of each row's predicted class (the model's, which calibration does not change). */
  readonly predicted: readonly number[];
}

/** What happened to one map key. */
export interface CalibrationKeyResult {
  readonly key: string;
  readonly fitRows: number;
  readonly checkRows: number;
  /** Held-out expected calibration error of the raw and of the fitted probabilities; NaN without a check. */
  readonly eceRaw: number;
  readonly eceCalibrated: number;
  /** `isotonic`: the fitted map is stored; `identity`: it raised the held-out error, so raw it is; `none`: too few rows. */
  readonly stored: 'isotonic' | 'identity' | 'none';
}

/** The profile's `calibration` field (undefined when no key had enough rows) and what happened per key. */
export interface FittedCalibration {
  readonly calibration: Calibration | undefined;
  readonly keys: readonly CalibrationKeyResult[];
}

/**
 * Fits one map per key of `rows` (sorted by key). The probability of the model's predicted class
 * is what the error bins; calibrated probabilities are renormalised across classes, as the
 * exporter does with `calibrateProbabilities`. Knot values and errors are rounded to six
 * significant digits, and the check is of the rounded map, the one stored.
 */
export function fitCalibration(
  rows: ReadonlyMap<string, CalibrationRows>,
  classes: readonly string[],
): FittedCalibration {
  const calibration: Calibration = { method: 'isotonic', maps: {}, check: {} };
  const keys: CalibrationKeyResult[] = [];
  for (const key of [...rows.keys()].sort()) {
    const result = fitKey(key, rows.get(key) as CalibrationRows, classes);
    keys.push(result.summary);
    if (result.maps === undefined) continue;
    calibration.maps[key] = result.maps;
    calibration.check[key] = {
      rows: result.summary.checkRows,
      ece_raw: readable(result.summary.eceRaw),
      ece_calibrated: readable(result.summary.eceCalibrated),
      stored: result.summary.stored === 'isotonic' ? 'isotonic' : 'identity',
      fit_rows: result.summary.fitRows,
    };
  }
  return { calibration: Object.keys(calibration.maps).length === 0 ? undefined : calibration, keys };
}

function fitKey(
  key: string,
  data: CalibrationRows,
  classes: readonly string[],
): { summary: CalibrationKeyResult; maps?: Record<string, ClassCalibration> } {
  const k = classes.length;
  const n = data.labels.length;
  const fit: number[] = [];
  const check: number[] = [];
  for (let i = 0; i < n; i++) ((i + 1) % HOLDOUT_EVERY === 0 ? check : fit).push(i);
  if (n < MIN_CALIBRATION_ROWS)
    return {
      summary: {
        key,
        fitRows: fit.length,
        checkRows: check.length,
        eceRaw: Number.NaN,
        eceCalibrated: Number.NaN,
        stored: 'none',
      },
    };
  const fitted: Record<string, ClassCalibration> = {};
  classes.forEach((name, c) => {
    const x = fit.map((i) => data.probabilities[i * k + c] as number);
    const y = fit.map((i) => (data.labels[i] === c ? 1 : 0));
    fitted[name] = roundKnots(fitIsotonic(x, y));
  });
  const eceRaw = heldOutError(data, check, k, undefined, classes);
  const eceCalibrated = heldOutError(data, check, k, fitted, classes);
  const keep = !(eceCalibrated > eceRaw);
  const maps = keep ? fitted : Object.fromEntries(classes.map((name) => [name, IDENTITY_CALIBRATION]));
  return {
    summary: {
      key,
      fitRows: fit.length,
      checkRows: check.length,
      eceRaw,
      eceCalibrated,
      stored: keep ? 'isotonic' : 'identity',
    },
    maps,
  };
}

/** ECE over the held-out rows of the predicted class's probability, raw or through `maps`. */
function heldOutError(
  data: CalibrationRows,
  rows: readonly number[],
  k: number,
  maps: Readonly<Record<string, ClassCalibration>> | undefined,
  classes: readonly string[],
): number {
  const confidences = new Float64Array(rows.length);
  const correct = new Array<boolean>(rows.length);
  const probabilities = new Float64Array(k);
  rows.forEach((i, r) => {
    for (let c = 0; c < k; c++) probabilities[c] = data.probabilities[i * k + c] as number;
    if (maps !== undefined) calibrateProbabilities(maps, classes, probabilities);
    const predicted = data.predicted[i] as number;
    confidences[r] = probabilities[predicted] as number;
    correct[r] = data.labels[i] === predicted;
  });
  return expectedCalibrationError(confidences, correct);
}

/** Knot values to six significant digits (rounding keeps them non-decreasing); x stays the data's. */
function roundKnots(map: ClassCalibration): ClassCalibration {
  return { x: map.x, y: map.y.map(readable) };
}

function readable(value: number): number {
  return Number(value.toPrecision(6));
}
