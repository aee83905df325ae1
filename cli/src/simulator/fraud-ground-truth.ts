import type { ModelSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import {
  DEVICE_TYPES,
  FRAUD_FEATURES,
  MERCHANT_CATEGORIES,
  PAYMENT_METHODS,
  fraudProbability,
  type FraudFeatures,
} from '../demo/fraud-dataset';
import type { GroundTruthSource } from './ground-truth';

/**
 * The demo fraud model's ground truth: a payment is fraud with the probability the demo data
 * generator drew its training labels with, so the model is about as accurate live as on its
 * held-out rows, and inputs the drift scenarios move change the truth as they would in life.
 */
export const FRAUD_GROUND_TRUTH: GroundTruthSource = {
  name: 'fraud (the demo data generator)',
  fits(model: ModelSpec): boolean {
    return (
      model.task === 'binary_classification' && model.features.map((f) => f.name).join(',') === FRAUD_FEATURES.join(',')
    );
  },
  create(model) {
    const [negative, positive] = model.classes ?? [];
    if (negative === undefined || positive === undefined)
      throw new RangeError(`model ${model.name}: a binary classifier needs two classes`);
    return {
      kind: 'class',
      truth: (features, random) =>
        random.bernoulli(fraudProbability(fraudFeaturesOf(features))) ? positive : negative,
    };
  },
};

/** The row as the generator's payment; throws naming the feature a row of another model lacks. */
export function fraudFeaturesOf(row: FeatureRow): FraudFeatures {
  const credit = row['credit_score'];
  return {
    amount: numberAt(row, 'amount'),
    avg_amount_30d: numberAt(row, 'avg_amount_30d'),
    transactions_24h: numberAt(row, 'transactions_24h'),
    account_age_days: numberAt(row, 'account_age_days'),
    distance_from_home_km: numberAt(row, 'distance_from_home_km'),
    hour_of_day: numberAt(row, 'hour_of_day'),
    credit_score: typeof credit === 'number' ? credit : null,
    merchant_category: categoryAt(row, 'merchant_category', MERCHANT_CATEGORIES),
    payment_method: categoryAt(row, 'payment_method', PAYMENT_METHODS),
    device_type: categoryAt(row, 'device_type', DEVICE_TYPES),
  };
}

function numberAt(row: FeatureRow, name: string): number {
  const value = row[name];
  if (typeof value !== 'number')
    throw new RangeError(`fraud ground truth: ${name}: expected a number, got ${JSON.stringify(value)}`);
  return value;
}

function categoryAt<T extends string>(row: FeatureRow, name: string, known: readonly T[]): T {
  const value = row[name];
  const match = known.find((k) => k === value);
  if (match === undefined)
    throw new RangeError(
      `fraud ground truth: ${name}: expected one of ${known.join(', ')}, got ${JSON.stringify(value)}`,
    );
  return match;
}
