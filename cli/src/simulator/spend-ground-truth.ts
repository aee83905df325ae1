import type { ModelSpec } from '../../../spec/src/schema';
import { SPEND_FEATURES, spendLabel } from '../demo/spend-dataset';
import type { GroundTruthSource } from './ground-truth';

/**
 * The demo spend model's ground truth: a card's 7-day spend as the demo data generator drew
 * its training labels (noise and the odd big purchase included), so the model's live errors
 * match its held-out ones; the quality scenario distorts it on top.
 */
export const SPEND_GROUND_TRUTH: GroundTruthSource = {
  name: 'spend (the demo data generator)',
  fits(model: ModelSpec): boolean {
    return model.task === 'regression' && model.features.map((f) => f.name).join(',') === SPEND_FEATURES.join(',');
  },
  create() {
    return { kind: 'value', truth: (features, random) => spendLabel(features, random) };
  },
};
