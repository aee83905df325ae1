import type { ModelSpec } from '../../../spec/src/schema';
import { cents, type BusinessModelSource, type PlannedOutcome } from './business-model';
import { FRAUD_GROUND_TRUTH, fraudFeaturesOf } from './fraud-ground-truth';

/** The demo fraud model's outcome events. */
export const FRAUD_EVENTS = { checkout: 'checkout', chargeback: 'chargeback' } as const;

/**
 * Chance that a customer whose payment the model lets through completes the checkout; the rest
 * abandon it (a second thought, a failed 3-D Secure step), as shops see at their payment page.
 */
export const CHECKOUT_PROBABILITY = 0.6;

/**
 * The demo fraud model's business. Every prediction is a card payment at a shop's checkout:
 * - the model predicts `fraud`: the payment is blocked, nothing follows;
 * - it predicts `legit`: the customer completes the checkout with CHECKOUT_PROBABILITY (times
 *   the scenario's conversion factor: a canary version that adds friction loses customers), a
 *   `checkout` worth the payment's `amount`, within the first half of the outcome delay;
 * - a completed payment that was in truth fraud comes back as a `chargeback` of the same amount,
 *   in the second half of the delay (the card holder disputes it; in life weeks later).
 * The truth is the prediction's label when it has one, else drawn as the labels are (the demo
 * data generator's fraud probability), so a version that blocks less fraud pays more chargebacks.
 */
export const FRAUD_BUSINESS: BusinessModelSource = {
  name: 'fraud (checkout and chargeback)',
  fits(model: ModelSpec): boolean {
    const events = Object.keys(model.outcomes?.events ?? {});
    return (
      FRAUD_GROUND_TRUTH.fits(model) &&
      events.includes(FRAUD_EVENTS.checkout) &&
      events.includes(FRAUD_EVENTS.chargeback)
    );
  },
  create(model) {
    const truth = FRAUD_GROUND_TRUTH.create(model);
    const [negative] = model.classes ?? [];
    return {
      outcomes(prediction, conversion, random) {
        if (prediction.predicted !== negative) return [];
        if (!random.bernoulli(CHECKOUT_PROBABILITY * conversion)) return [];
        const amount = cents(fraudFeaturesOf(prediction.features).amount);
        // (0, 0.5]: the checkout follows while the customer is still at the payment page.
        const out: PlannedOutcome[] = [{ event: FRAUD_EVENTS.checkout, value: amount, lag: 0.5 * (1 - random.next()) }];
        const fraud = (prediction.truth ?? truth.truth(prediction.features, random)) !== negative;
        // (0.5, 1]: the dispute comes after the checkout, still within the delay.
        if (fraud) out.push({ event: FRAUD_EVENTS.chargeback, value: amount, lag: 1 - 0.5 * random.next() });
        return out;
      },
    };
  },
};
