import path from 'node:path';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import { Random } from '../../../cli/src/demo/random';
import { chooseBusinessModel, type PlannedOutcome } from '../../../cli/src/simulator/business-model';
import { BUSINESS_MODEL_SOURCES } from '../../../cli/src/simulator/business-model-sources';
import { CHECKOUT_PROBABILITY, FRAUD_BUSINESS } from '../../../cli/src/simulator/fraud-business';
import { fraudFeaturesOf } from '../../../cli/src/simulator/fraud-ground-truth';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { REPO_ROOT } from '../../support/demo-spec';
import { defined } from '../../support/defined';

const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
const fraud = loaded.spec.models[0] as ModelSpec;
const outcomes = defined(fraud.outcomes, 'the demo fraud model’s outcomes');
const rows = loadReferenceRows(loaded.resolve(fraud.reference as string), fraud.features).rows;
const business = FRAUD_BUSINESS.create(fraud, outcomes);
const N = 20_000;

/** Four binomial standard errors of a share `p` over `trials`. */
const band = (p: number, trials: number): number => 4 * Math.sqrt((p * (1 - p)) / trials);

function outcomesOf(predicted: string, truth: string | undefined, conversion = 1, seed = 11): PlannedOutcome[][] {
  const random = new Random(seed);
  return Array.from({ length: N }, (_, i) =>
    business.outcomes({ features: rows[i % rows.length] as FeatureRow, predicted, truth }, conversion, random),
  );
}

describe('the demo fraud model’s business', () => {
  test('is the one chosen for the demo fraud model; a model without checkout and chargeback gets the generic one', () => {
    expect(FRAUD_BUSINESS.fits(fraud)).toBe(true);
    const renamed: ModelSpec = { ...fraud, outcomes: { ...outcomes, events: { purchase: { value: true } } } };
    expect(FRAUD_BUSINESS.fits(renamed)).toBe(false);
    expect(BUSINESS_MODEL_SOURCES.find((s) => s.fits(renamed))).toBeUndefined();
    expect(chooseBusinessModel(renamed, defined(renamed.outcomes, 'outcomes'), BUSINESS_MODEL_SOURCES)).toBeDefined();
  });

  test('a blocked payment (predicted fraud) never checks out nor charges back', () => {
    expect(outcomesOf('fraud', 'fraud').every((o) => o.length === 0)).toBe(true);
  });

  test('a payment let through checks out with the base probability, for its amount, in the first half of the delay', () => {
    const all = outcomesOf('legit', 'legit');
    const checkouts = all.map((o, i) => ({ o: o.find((x) => x.event === 'checkout'), row: rows[i % rows.length] }));
    const hits = checkouts.filter((c) => c.o !== undefined);
    expect(Math.abs(hits.length / N - CHECKOUT_PROBABILITY)).toBeLessThanOrEqual(band(CHECKOUT_PROBABILITY, N));
    for (const { o, row } of hits) {
      const outcome = defined(o, 'checkout');
      expect(outcome.value).toBeCloseTo(fraudFeaturesOf(defined(row, 'row')).amount, 2);
      expect(outcome.lag).toBeGreaterThan(0);
      expect(outcome.lag).toBeLessThanOrEqual(0.5);
    }
    // A legit payment is never disputed.
    expect(all.flat().some((o) => o.event === 'chargeback')).toBe(false);
  });

  test('a fraudulent payment let through that checks out comes back as a chargeback of the same amount, later in the delay', () => {
    const all = outcomesOf('legit', 'fraud');
    for (const outcomes of all) {
      const checkout = outcomes.find((o) => o.event === 'checkout');
      const chargeback = outcomes.find((o) => o.event === 'chargeback');
      expect(chargeback === undefined).toBe(checkout === undefined);
      if (checkout === undefined || chargeback === undefined) continue;
      expect(chargeback.value).toBe(checkout.value);
      expect(chargeback.lag).toBeGreaterThan(0.5);
      expect(chargeback.lag).toBeLessThanOrEqual(1);
    }
  });

  test('at most one outcome per event follows a prediction', () => {
    for (const outcomes of outcomesOf('legit', 'fraud')) {
      const events = outcomes.map((o) => o.event);
      expect(new Set(events).size).toBe(events.length);
    }
  });

  test('the conversion factor scales the checkout probability: two thirds of it on the same traffic', () => {
    const full = outcomesOf('legit', 'legit', 1, 21).filter((o) => o.length > 0).length / N;
    const lowered = outcomesOf('legit', 'legit', 2 / 3, 22).filter((o) => o.length > 0).length / N;
    const expected = (2 / 3) * CHECKOUT_PROBABILITY;
    expect(Math.abs(full - CHECKOUT_PROBABILITY)).toBeLessThanOrEqual(band(CHECKOUT_PROBABILITY, N));
    expect(Math.abs(lowered - expected)).toBeLessThanOrEqual(band(expected, N));
  });

  test('without a label the truth is drawn as the labels draw it: some payments let through charge back, at the data’s fraud rate', () => {
    const all = outcomesOf('legit', undefined, 1, 31);
    const checkouts = all.filter((o) => o.some((x) => x.event === 'checkout')).length;
    const chargebacks = all.filter((o) => o.some((x) => x.event === 'chargeback')).length;
    // The demo data's fraud rate is a few percent (about 5%): chargebacks are rare but present.
    expect(chargebacks).toBeGreaterThan(0);
    expect(chargebacks / checkouts).toBeLessThan(0.15);
  });
});
