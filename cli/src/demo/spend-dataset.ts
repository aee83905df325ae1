/**
 * Synthetic cards for the demo spend model: what a card holder's last 30 days looked like, and
 * the ground truth, the EUR the card spends over the next 7 days, drawn from a hidden
 * multiplicative process (activity × basket × tier × segment, with noise and the occasional
 * big purchase) that a linear model only approximates.
 *
 * The order in which a row consumes the random stream is part of the output:
 * changing it changes the committed demo artifacts (re-run `npm run train-demo`).
 */
import type { FeatureRow } from '../../../spec/src/model-types';
import { Random } from './random';

/** The spend model's feature names, in the order of `mlwatch.yaml`. */
export const SPEND_FEATURES = [
  'avg_amount_30d',
  'transactions_30d',
  'days_since_last_payment',
  'account_age_days',
  'credit_score',
  'card_tier',
  'customer_segment',
] as const;

export const CARD_TIERS = ['standard', 'gold', 'platinum'] as const;
export const CUSTOMER_SEGMENTS = ['student', 'family', 'professional', 'retired'] as const;

export type CardTier = (typeof CARD_TIERS)[number];
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

/** One card's inputs; a type alias (not an interface) so that it is assignable to `FeatureRow`. */
export type SpendFeatures = {
  readonly avg_amount_30d: number;
  readonly transactions_30d: number;
  readonly days_since_last_payment: number;
  readonly account_age_days: number;
  readonly credit_score: number | null;
  readonly card_tier: CardTier;
  readonly customer_segment: CustomerSegment;
};

/** A card with its ground truth: EUR spent over the next 7 days. */
export interface SpendExample {
  readonly features: SpendFeatures;
  readonly label: number;
}

/** Knobs the simulator can turn; the defaults reproduce the training distribution. */
export interface SpendShift {
  /** Multiplies the true spend for the same inputs (concept drift: the inputs do not move). */
  spendFactor: number;
}

/** The training distribution. */
export const NO_SPEND_SHIFT: Readonly<SpendShift> = { spendFactor: 1 };

const TIER_SHARES = [0.7, 0.22, 0.08];
const SEGMENT_SHARES = [0.15, 0.4, 0.3, 0.15];
/** Spend relative to the card's habit, per tier and segment: richer cards and families spend more per week. */
const TIER_FACTOR: Record<CardTier, number> = { standard: 1, gold: 1.35, platinum: 1.9 };
const SEGMENT_FACTOR: Record<CustomerSegment, number> = {
  student: 0.8,
  family: 1.15,
  professional: 1.05,
  retired: 0.85,
};
/** Log-scale noise of the weekly spend around its expectation. */
const SPEND_NOISE = 0.35;
/** A week holds one large purchase (a flight, a laptop) this often. */
const BIG_PURCHASE_RATE = 0.04;

/** Draws one card's inputs from `random`. */
export function drawSpendFeatures(random: Random): SpendFeatures {
  const tier = random.weighted(CARD_TIERS, TIER_SHARES);
  const segment = random.weighted(CUSTOMER_SEGMENTS, SEGMENT_SHARES);
  const accountAge = random.bernoulli(0.1)
    ? random.int(0, 89)
    : Math.min(10_950, Math.round(random.lognormal(Math.log(900), 0.8)));
  const missingScore = random.bernoulli(0.06 + 0.5 * Math.exp(-accountAge / 45));
  const score = Math.round(Math.min(850, Math.max(300, random.normal(680, 70))));
  const activity = random.lognormal(Math.log(16), 0.5);
  const transactions = random.poisson(activity);
  // Active cards paid recently; a card with no payment in 30 days has been idle at least that long.
  const sinceLast =
    transactions === 0 ? 30 + random.int(0, 60) : Math.min(30, Math.floor(random.exponential(30 / (transactions + 1))));
  const avgAmount = roundTo(
    random.lognormal(Math.log(45), 0.5) * (tier === 'platinum' ? 1.6 : tier === 'gold' ? 1.2 : 1),
    2,
  );
  return {
    avg_amount_30d: avgAmount,
    transactions_30d: transactions,
    days_since_last_payment: sinceLast,
    account_age_days: accountAge,
    credit_score: missingScore ? null : score,
    card_tier: tier,
    customer_segment: segment,
  };
}

/** Expected EUR over the next 7 days for a card (hidden from the models). */
export function expectedSpend(row: FeatureRow): number {
  const avgAmount = numberOf(row['avg_amount_30d'], 55);
  const transactions = numberOf(row['transactions_30d'], 20);
  const sinceLast = numberOf(row['days_since_last_payment'], 1);
  const tier = factorOf(TIER_FACTOR, row['card_tier']);
  const segment = factorOf(SEGMENT_FACTOR, row['customer_segment']);
  // A card idle for a while is likely to stay idle: the weekly rate decays towards 30% of its habit.
  const recency = 0.3 + 0.7 * Math.exp(-sinceLast / 10);
  return (((transactions + 0.5) * 7) / 30) * avgAmount * tier * segment * recency;
}

/**
 * Draws the ground truth of one row: EUR spent by the card over the next 7 days, in cents.
 * For the simulator's labels; `shift` bends it for the quality scenario (the inputs stay put).
 */
export function spendLabel(row: FeatureRow, random: Random, shift: Readonly<SpendShift> = NO_SPEND_SHIFT): number {
  // exp(N(-σ²/2, σ)) has mean 1: the noise leaves the expectation where it is.
  const noisy = expectedSpend(row) * random.lognormal(-(SPEND_NOISE ** 2) / 2, SPEND_NOISE);
  const big = random.bernoulli(BIG_PURCHASE_RATE) ? random.lognormal(Math.log(400), 0.7) : 0;
  return roundTo((noisy + big) * shift.spendFactor, 2);
}

/** Draws one card and its ground truth. */
export function drawSpendExample(random: Random, shift: Readonly<SpendShift> = NO_SPEND_SHIFT): SpendExample {
  const features = drawSpendFeatures(random);
  return { features, label: spendLabel(features, random, shift) };
}

/** Generates `count` cards with their spend; the same seed always gives the same rows. */
export function generateSpendRows(
  count: number,
  seed: number,
  shift: Readonly<SpendShift> = NO_SPEND_SHIFT,
): SpendExample[] {
  const random = new Random(seed);
  const rows: SpendExample[] = [];
  for (let i = 0; i < count; i++) rows.push(drawSpendExample(random, shift));
  return rows;
}

/** A category's factor; 1 for a missing or unknown category. */
function factorOf(factors: Readonly<Record<string, number>>, value: unknown): number {
  return typeof value === 'string' && Object.hasOwn(factors, value) ? (factors[value] as number) : 1;
}

function numberOf(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
