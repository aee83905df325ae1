import path from 'node:path';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import { Random } from '../../../cli/src/demo/random';
import { CHECKOUT_PROBABILITY, FRAUD_BUSINESS } from '../../../cli/src/simulator/fraud-business';
import { OutcomePlanner, type OutcomeTicket } from '../../../cli/src/simulator/outcome-planner';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { CANARY_CONVERSION_FACTOR, findScenario, type ScenarioDefinition } from '../../../cli/src/simulator/scenarios';
import { planVersions } from '../../../cli/src/simulator/version-plan';
import { REPO_ROOT } from '../../support/demo-spec';
import { defined } from '../../support/defined';

const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
const fraud = loaded.spec.models[0] as ModelSpec;
const rows = loadReferenceRows(loaded.resolve(fraud.reference as string), fraud.features).rows;
const business = FRAUD_BUSINESS.create(fraud, defined(fraud.outcomes, 'outcomes'));

function planner(scenario: string | ScenarioDefinition, coverage = 1, seed = 3): OutcomePlanner {
  const definition = typeof scenario === 'string' ? findScenario(scenario) : scenario;
  return new OutcomePlanner(definition, business, planVersions(fraud), coverage, new Random(seed));
}

/** Checkouts after `count` payments let through by `version`, each with its own ticket. */
function checkouts(outcomes: OutcomePlanner, version: string, count: number, fraction = 0.5): number {
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const ticket = defined(outcomes.ticket(fraction), 'a ticket at full coverage');
    const features = rows[i % rows.length] as FeatureRow;
    if (outcomes.outcomes(ticket, { features, predicted: 'legit', truth: 'legit' }, version).length > 0) hits++;
  }
  return hits;
}

describe('OutcomePlanner', () => {
  test('in the canary scenario the canary v2 checks out by the scenario’s factor less than the baseline v1 on the same traffic, within four standard errors of the difference', () => {
    const n = 20_000;
    const v1 = checkouts(planner('canary', 1, 41), 'v1', n) / n;
    const v2 = checkouts(planner('canary', 1, 42), 'v2', n) / n;
    const p1 = CHECKOUT_PROBABILITY;
    const p2 = CHECKOUT_PROBABILITY * CANARY_CONVERSION_FACTOR;
    // v2 - factor × v1 has mean 0 and this standard error, from both samples.
    const se = Math.sqrt((p2 * (1 - p2)) / n + (CANARY_CONVERSION_FACTOR ** 2 * p1 * (1 - p1)) / n);
    expect(Math.abs(v2 - CANARY_CONVERSION_FACTOR * v1)).toBeLessThanOrEqual(4 * se);
    // And the difference is far beyond chance: the canary guard has something to find.
    expect(v1 - v2).toBeGreaterThan(10 * Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / n));
  });

  test('outside the canary scenario both versions check out alike', () => {
    const n = 20_000;
    const v1 = checkouts(planner('normal', 1, 51), 'v1', n) / n;
    const v2 = checkouts(planner('normal', 1, 52), 'v2', n) / n;
    const p = CHECKOUT_PROBABILITY;
    expect(Math.abs(v1 - v2)).toBeLessThanOrEqual(4 * Math.sqrt((2 * p * (1 - p)) / n));
  });

  test('the conversion factor applies to the targeted version at the phase’s strength, and to every version when it targets all', () => {
    const ramped: ScenarioDefinition = {
      name: 'ramped',
      summary: 'test',
      phases: [{ name: 'ramp', share: 1, ramp: 1, outcomes: [{ kind: 'conversion', factor: 0.4, target: 'canary' }] }],
    };
    const outcomes = planner(ramped);
    const half = defined(outcomes.ticket(0.5), 'ticket');
    expect(outcomes.conversionFactor(half, 'v2')).toBeCloseTo(0.7, 12);
    expect(outcomes.conversionFactor(half, 'v1')).toBe(1);
    expect(outcomes.conversionFactor(half, undefined)).toBe(1);
    const everyone = planner({
      ...ramped,
      phases: [{ name: 'all', share: 1, outcomes: [{ kind: 'conversion', factor: 0.5, target: 'all' }] }],
    });
    const ticket = defined(everyone.ticket(0.5), 'ticket');
    expect([everyone.conversionFactor(ticket, 'v1'), everyone.conversionFactor(ticket, 'v2')]).toEqual([0.5, 0.5]);
  });

  test('a coverage share of the predictions is tracked', () => {
    const outcomes = planner('normal', 0.3, 61);
    const n = 20_000;
    const tracked = Array.from({ length: n }, () => outcomes.ticket(0.5)).filter((t) => t !== undefined).length;
    expect(Math.abs(tracked / n - 0.3)).toBeLessThanOrEqual(4 * Math.sqrt((0.3 * 0.7) / n));
    expect(() => planner('normal', 1.2)).toThrow('outcome coverage: expected a share from 0 to 1, got 1.2');
  });

  test('a prediction’s outcomes depend on its ticket alone, not on the order the answers come back in', () => {
    const outcomes = planner('canary', 1, 71);
    const tickets: OutcomeTicket[] = Array.from({ length: 200 }, () => defined(outcomes.ticket(0.5), 'ticket'));
    const decide = (ticket: OutcomeTicket, i: number) =>
      outcomes.outcomes(ticket, { features: rows[i] as FeatureRow, predicted: 'legit' }, i % 2 === 0 ? 'v1' : 'v2');
    const forwards = tickets.map(decide);
    const backwards = [...tickets.keys()].reverse().map((i) => decide(tickets[i] as OutcomeTicket, i));
    expect(backwards.reverse()).toEqual(forwards);
  });
});
