import type { BinaryScores } from '../../../exporter/src/model/logistic-model';

/** Log-loss clips probabilities this far from 0 and 1, so that one confident miss is costly but finite. */
const PROBABILITY_EPSILON = 1e-15;

/**
 * Accuracy at a 0.5 threshold, mean log-loss (nats) and ROC AUC of positive-class probabilities against 0/1 labels,
 * plus the share of positives: with rare positives, accuracy means little next to the baseline 1 - positive_rate.
 */
export function scoreBinary(probabilities: ArrayLike<number>, labels: ArrayLike<number>): BinaryScores {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`scoreBinary() got ${probabilities.length} probabilities but ${labels.length} labels`);
  }
  return {
    accuracy: accuracy(probabilities, labels),
    log_loss: logLoss(probabilities, labels),
    auc: rocAuc(probabilities, labels),
    positive_rate: positiveRate(labels),
  };
}

function accuracy(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const predicted = (probabilities[i] as number) > 0.5 ? 1 : 0;
    if (predicted === labels[i]) correct++;
  }
  return labels.length === 0 ? Number.NaN : correct / labels.length;
}

function positiveRate(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  return labels.length === 0 ? Number.NaN : positives / labels.length;
}

function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, probabilities[i] as number));
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return labels.length === 0 ? Number.NaN : total / labels.length;
}

/** Area under the ROC curve via the Mann–Whitney U statistic; tied scores share their average rank. */
export function rocAuc(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort(
    (a, b) => (probabilities[a] as number) - (probabilities[b] as number),
  );
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    const score = probabilities[order[start] as number] as number;
    while (end < order.length && probabilities[order[end] as number] === score) end++;
    const averageRank = (start + 1 + end) / 2; // ranks are 1-based: start+1 .. end
    for (let k = start; k < end; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
