import { z } from 'zod';

const probability = z.number().min(0).max(1);

/**
 * One class's calibration: raw probability → observed frequency, as increasing knots joined by
 * straight lines (what isotonic regression's fit is, evaluated between its knots); flat beyond
 * the ends.
 */
export const classCalibrationSchema = z
  .strictObject({ x: z.array(probability).min(1), y: z.array(probability).min(1) })
  .refine((c) => c.x.length === c.y.length, { error: 'x and y must have the same length' })
  .refine((c) => c.x.every((x, i) => i === 0 || x > (c.x[i - 1] as number)), { error: 'x must be increasing' })
  .refine((c) => c.y.every((y, i) => i === 0 || y >= (c.y[i - 1] as number)), { error: 'y must not decrease' });

/**
 * Calibration of a classifier's probabilities, fitted by `mlwatch profile` on a reference with a
 * `label` column and the model's probabilities, checked on held-out rows, and applied by the
 * exporter before it adds a prediction's expected confusion counts.
 */
export const calibrationSchema = z.strictObject({
  method: z.literal('isotonic'),
  /** Per version name, or `*` for every version without its own; then per class name. */
  maps: z.record(z.string().min(1), z.record(z.string().min(1), classCalibrationSchema)),
  /**
   * The held-out check, per map key: held-out rows, and the expected calibration error (ten
   * equal-width bins of the predicted class's probability) of the raw and of the calibrated
   * probabilities. `stored` says which map the key holds: the isotonic fit, or the identity
   * (raw probabilities) because the fit raised the held-out error; `fit_rows` the rows it was
   * fitted on. Both are written by `mlwatch profile`; absent means isotonic.
   */
  check: z.record(
    z.string().min(1),
    z.strictObject({
      rows: z.number().int().min(0),
      ece_raw: z.number().min(0),
      ece_calibrated: z.number().min(0),
      stored: z.enum(['isotonic', 'identity']).optional(),
      fit_rows: z.number().int().min(0).optional(),
    }),
  ),
});

export type ClassCalibration = z.infer<typeof classCalibrationSchema>;
export type Calibration = z.infer<typeof calibrationSchema>;

/** The calibration maps of `version` (its own, else `*`), or undefined when there are none. */
export function calibrationFor(
  calibration: Calibration | undefined,
  version: string,
): Readonly<Record<string, ClassCalibration>> | undefined {
  return calibration?.maps[version] ?? calibration?.maps['*'];
}

/** The calibrated value of raw probability `p`: linear between knots, flat beyond the ends. */
export function calibrate(map: ClassCalibration, p: number): number {
  const { x, y } = map;
  const last = x.length - 1;
  if (p <= (x[0] as number)) return y[0] as number;
  if (p >= (x[last] as number)) return y[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= p) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const x1 = x[hi] as number;
  const y0 = y[lo] as number;
  const y1 = y[hi] as number;
  return x1 === x0 ? y1 : y0 + ((p - x0) * (y1 - y0)) / (x1 - x0);
}

/**
 * Calibrates one prediction's class probabilities in place (`probabilities[k]` for `classes[k]`),
 * class by class, then renormalises them to sum to 1 (one-vs-rest calibration does not keep the
 * sum). A class without a map keeps its raw probability.
 */
export function calibrateProbabilities(
  maps: Readonly<Record<string, ClassCalibration>>,
  classes: readonly string[],
  probabilities: Float64Array,
): void {
  let sum = 0;
  for (let k = 0; k < classes.length; k++) {
    const map = maps[classes[k] as string];
    const p = probabilities[k] as number;
    const calibrated = map === undefined ? p : calibrate(map, p);
    probabilities[k] = calibrated;
    sum += calibrated;
  }
  if (sum > 0) for (let k = 0; k < classes.length; k++) probabilities[k] = (probabilities[k] as number) / sum;
}
