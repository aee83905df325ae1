/**
 * A seeded synthetic binary classifier for the calibration tests: each row's true probability of
 * "yes" is uniform on [0.02, 0.98], its label is drawn from it, and the model reports that
 * probability bent by `sharpness` on the log-odds scale (1 = perfectly calibrated, > 1 pushed
 * toward 0 and 1: over-confident).
 */
export interface SyntheticRows {
  /** The model's probability of "yes" per row. */
  readonly yes: number[];
  /** 1 when the row's label is "yes". */
  readonly labels: number[];
}

export function syntheticRows(n: number, sharpness: number, seed: number): SyntheticRows {
  const random = mulberry32(seed);
  const yes: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const truth = 0.02 + 0.96 * random();
    labels.push(random() < truth ? 1 : 0);
    const logOdds = Math.log(truth / (1 - truth));
    yes.push(1 / (1 + Math.exp(-sharpness * logOdds)));
  }
  return { yes, labels };
}

/** A small, well-mixed 32-bit generator: the same seed always gives the same stream. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
