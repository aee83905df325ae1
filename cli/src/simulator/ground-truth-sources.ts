import { FRAUD_GROUND_TRUTH } from './fraud-ground-truth';
import type { GroundTruthSource } from './ground-truth';
import { SPEND_GROUND_TRUTH } from './spend-ground-truth';

/**
 * The ground truths the simulator knows, tried in order; a model none fits is labelled from
 * its own probabilities (classifiers) or not at all (regression). A demo model's truth is added here.
 */
export const GROUND_TRUTH_SOURCES: readonly GroundTruthSource[] = [FRAUD_GROUND_TRUTH, SPEND_GROUND_TRUTH];
