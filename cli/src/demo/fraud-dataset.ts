/**
 * Synthetic card payments for the demo fraud model: realistic marginal
 * distributions, a few correlations, and a label drawn from a hidden
 * ground-truth logistic function that the demo models only approximate.
 *
 * The order in which a row consumes the random stream is part of the output:
 * changing it changes the committed demo artifacts (re-run `npm run train-demo`).
 */
import { Random } from './random';

/** The demo model's feature names, in the order of `mlwatch.yaml`. */
export const FRAUD_FEATURES = [
  'amount',
  'avg_amount_30d',
  'transactions_24h',
  'account_age_days',
  'distance_from_home_km',
  'hour_of_day',
  'credit_score',
  'merchant_category',
  'payment_method',
  'device_type',
] as const;

/** Class names of the demo model: index 0 is the negative class, 1 the positive one. */
export const FRAUD_CLASSES = ['legit', 'fraud'] as const;

export const MERCHANT_CATEGORIES = [
  'grocery',
  'fuel',
  'restaurant',
  'electronics',
  'travel',
  'online_retail',
  'entertainment',
] as const;
export const PAYMENT_METHODS = ['chip', 'contactless', 'online', 'manual_entry'] as const;
export const DEVICE_TYPES = ['pos_terminal', 'mobile', 'desktop'] as const;

export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** One payment's inputs; a type alias (not an interface) so that it is assignable to `FeatureRow`. */
export type FraudFeatures = {
  readonly amount: number;
  readonly avg_amount_30d: number;
  readonly transactions_24h: number;
  readonly account_age_days: number;
  readonly distance_from_home_km: number;
  readonly hour_of_day: number;
  readonly credit_score: number | null;
  readonly merchant_category: MerchantCategory;
  readonly payment_method: PaymentMethod;
  readonly device_type: DeviceType;
};

/** A payment with its ground truth: label 1 is fraud, 0 legit. */
export interface FraudExample {
  readonly features: FraudFeatures;
  readonly label: 0 | 1;
}

/** Knobs the simulator can turn to make drift; the defaults reproduce the training distribution. */
export interface FraudShift {
  /** Multiplies every payment amount (input drift that also raises fraud, via amount / avg_amount_30d). */
  amountFactor: number;
  /** Multiplies the distance from home (input drift). */
  distanceFactor: number;
  /** Added to the ground-truth log-odds (more or less fraud for the same inputs: concept drift). */
  fraudLogOddsShift: number;
}

/** The training distribution. */
export const NO_SHIFT: Readonly<FraudShift> = { amountFactor: 1, distanceFactor: 1, fraudLogOddsShift: 0 };

/** Share of payments per merchant category (same order as MERCHANT_CATEGORIES). */
const MERCHANT_SHARES = [0.27, 0.12, 0.18, 0.06, 0.05, 0.24, 0.08];
/** Typical basket relative to the card's 30-day mean, per merchant category. */
const MERCHANT_AMOUNT_SCALE: Record<MerchantCategory, number> = {
  grocery: 0.8,
  fuel: 1.1,
  restaurant: 0.7,
  electronics: 3.5,
  travel: 5,
  online_retail: 1.2,
  entertainment: 0.9,
};
/** Payment method shares (PAYMENT_METHODS order) where the card is present, online, and for travel (both). */
const CARD_PRESENT_PAYMENTS = [0.4, 0.55, 0, 0.05];
const ONLINE_PAYMENTS = [0, 0, 0.92, 0.08];
const TRAVEL_PAYMENTS = [0.25, 0.15, 0.55, 0.05];
/** Device shares (DEVICE_TYPES order) by payment method: wallets pay by phone, card-not-present needs a screen. */
const DEVICE_SHARES: Record<PaymentMethod, number[]> = {
  chip: [1, 0, 0],
  contactless: [0.8, 0.2, 0],
  online: [0, 0.62, 0.38],
  manual_entry: [0.7, 0.05, 0.25],
};
/** Relative traffic per local hour 0–23: quiet nights, a lunch peak and an evening peak. */
const HOURLY_TRAFFIC = [
  0.6, 0.4, 0.3, 0.25, 0.25, 0.4, 0.9, 1.8, 2.8, 3.4, 3.8, 4.4, 5.2, 4.9, 4.2, 4.0, 4.3, 5.0, 5.6, 5.3, 4.2, 3.0, 2.0,
  1.2,
];

/** Draws one payment and its label from `random`; `shift` bends the distribution for drift scenarios. */
export function drawFraudExample(random: Random, shift: Readonly<FraudShift> = NO_SHIFT): FraudExample {
  const accountAge = drawAccountAge(random);
  const creditScore = drawCreditScore(random, accountAge);
  const merchant = random.weighted(MERCHANT_CATEGORIES, MERCHANT_SHARES);
  const payment = random.weighted(PAYMENT_METHODS, paymentShares(merchant));
  const device = random.weighted(DEVICE_TYPES, DEVICE_SHARES[payment]);
  const hour = random.weightedIndex(HOURLY_TRAFFIC);
  const avgAmount = roundTo(random.lognormal(Math.log(55), 0.6), 2);
  // The amount follows the card's usual spend, scaled by what the merchant sells.
  const amount = Math.max(
    0.5,
    roundTo(avgAmount * MERCHANT_AMOUNT_SCALE[merchant] * random.lognormal(0, 0.75) * shift.amountFactor, 2),
  );
  const transactions = random.poisson(payment === 'online' ? 3.2 : 2.4);
  const distance = roundTo(drawDistance(random, merchant, payment) * shift.distanceFactor, 1);
  const features: FraudFeatures = {
    amount,
    avg_amount_30d: avgAmount,
    transactions_24h: transactions,
    account_age_days: accountAge,
    distance_from_home_km: distance,
    hour_of_day: hour,
    credit_score: creditScore,
    merchant_category: merchant,
    payment_method: payment,
    device_type: device,
  };
  return { features, label: random.bernoulli(fraudProbability(features, shift)) ? 1 : 0 };
}

/**
 * The ground-truth probability that a payment is fraud, from 0 to 1: what its label is drawn
 * from, so that anything labelling demo traffic (the simulator) matches the training data.
 */
export function fraudProbability(features: FraudFeatures, shift: Readonly<FraudShift> = NO_SHIFT): number {
  return sigmoid(fraudLogOdds(features) + shift.fraudLogOddsShift);
}

/** Generates `count` labelled payments; the same seed always gives the same rows. */
export function generateFraudRows(count: number, seed: number, shift: Readonly<FraudShift> = NO_SHIFT): FraudExample[] {
  const random = new Random(seed);
  const rows: FraudExample[] = [];
  for (let i = 0; i < count; i++) rows.push(drawFraudExample(random, shift));
  return rows;
}

/** Days since the account opened: a tenth are brand new, the rest lognormal around two and a half years. */
function drawAccountAge(random: Random): number {
  if (random.bernoulli(0.1)) return random.int(0, 89);
  return Math.min(10_950, Math.round(random.lognormal(Math.log(900), 0.8)));
}

/** Bureau score ~N(680, 70) in [300, 850]; missing for ~8% of rows, mostly young accounts without history. */
function drawCreditScore(random: Random, accountAge: number): number | null {
  const missing = random.bernoulli(0.06 + 0.5 * Math.exp(-accountAge / 45));
  const score = Math.round(Math.min(850, Math.max(300, random.normal(680, 70))));
  return missing ? null : score;
}

function paymentShares(merchant: MerchantCategory): number[] {
  if (merchant === 'online_retail') return ONLINE_PAYMENTS;
  if (merchant === 'travel') return TRAVEL_PAYMENTS;
  return CARD_PRESENT_PAYMENTS;
}

/** Kilometres from home: mostly local, with a heavy tail of trips; travel bookings are far by nature. */
function drawDistance(random: Random, merchant: MerchantCategory, payment: PaymentMethod): number {
  if (merchant === 'travel') return random.lognormal(Math.log(350), 1.0);
  const onTrip = random.bernoulli(0.04);
  if (onTrip) return random.lognormal(Math.log(400), 1.1);
  return random.lognormal(Math.log(payment === 'online' ? 12 : 5), 1.0);
}

/** Sets the base rate: about 4.4% of payments are fraud. */
const BASE_LOG_ODDS = -5.5;
const MERCHANT_RISK: Record<MerchantCategory, number> = {
  grocery: -0.6,
  fuel: 0.1,
  restaurant: -0.4,
  electronics: 1.0,
  travel: 0.5,
  online_retail: 0.5,
  entertainment: 0.2,
};
const PAYMENT_RISK: Record<PaymentMethod, number> = { chip: -0.7, contactless: -0.2, online: 0.5, manual_entry: 1.4 };
const DEVICE_RISK: Record<DeviceType, number> = { pos_terminal: -0.4, mobile: 0.1, desktop: 0.9 };

/** Ground-truth log-odds of fraud; hidden from the models, which only see the raw features and fit them linearly. */
function fraudLogOdds(row: FraudFeatures): number {
  // Fraudsters spend well above the card's habit, in bursts, at night, far from home, on new accounts.
  const spendRatio = Math.min(4, Math.max(-3, Math.log(row.amount / row.avg_amount_30d)));
  const night = row.hour_of_day <= 4 ? 1 : row.hour_of_day === 5 || row.hour_of_day === 23 ? 0.5 : 0;
  const creditTerm = row.credit_score === null ? 0.7 : (-0.9 * (row.credit_score - 680)) / 70;
  return (
    BASE_LOG_ODDS +
    1.1 * spendRatio +
    0.3 * (row.transactions_24h - 2.5) +
    1.6 * night +
    0.45 * Math.log1p(row.distance_from_home_km / 20) +
    1.5 * Math.exp(-row.account_age_days / 60) +
    creditTerm +
    MERCHANT_RISK[row.merchant_category] +
    PAYMENT_RISK[row.payment_method] +
    DEVICE_RISK[row.device_type]
  );
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
