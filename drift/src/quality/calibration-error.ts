/** Bins of the expected calibration error: ten of width 0.1 over [0, 1]. */
export const ECE_BINS = 10;

/**
 * Expected calibration error: the predictions' probabilities of their predicted class cut into
 * ten equal-width bins ([0, 0.1), …, [0.9, 1], the last closed), and the gap between each bin's
 * mean probability and the share of its predictions that were right, weighted by the bin's
 * share of predictions. 0 is perfect; NaN when there are no predictions.
 */
export function expectedCalibrationError(confidences: ArrayLike<number>, correct: ArrayLike<boolean>): number {
  const n = confidences.length;
  if (correct.length !== n)
    throw new RangeError(`expectedCalibrationError: ${n} confidences but ${correct.length} outcomes`);
  if (n === 0) return Number.NaN;
  const count = new Float64Array(ECE_BINS);
  const confidenceSum = new Float64Array(ECE_BINS);
  const hits = new Float64Array(ECE_BINS);
  for (let i = 0; i < n; i++) {
    const p = confidences[i] as number;
    const bin = Math.min(ECE_BINS - 1, Math.max(0, Math.floor(p * ECE_BINS)));
    count[bin] = (count[bin] as number) + 1;
    confidenceSum[bin] = (confidenceSum[bin] as number) + p;
    if (correct[i] === true) hits[bin] = (hits[bin] as number) + 1;
  }
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) {
    const size = count[b] as number;
    if (size > 0) ece += Math.abs((confidenceSum[b] as number) - (hits[b] as number)) / n;
  }
  return ece;
}
