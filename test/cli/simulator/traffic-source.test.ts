import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { Random } from '../../../cli/src/demo/random';
import type { FeatureRow } from '../../../spec/src/model-types';
import { compileFeatureEffects } from '../../../cli/src/simulator/feature-effects';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { type FaultEffect, findScenario, phaseAt } from '../../../cli/src/simulator/scenarios';
import { TrafficSource, type PlannedEvent } from '../../../cli/src/simulator/traffic-source';

const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
const model = loaded.spec.models[0] as ModelSpec;
const reference = loadReferenceRows(loaded.resolve(model.reference as string), model.features).rows;
const NUMERIC = model.features.filter((f) => f.type === 'numeric').map((f) => f.name);

/** Fractions of the run inside the first phase, the middle phase at full strength, and the last phase. */
const FIRST = 0.1;
const MIDDLE = 0.6;
const LAST = 0.9;
const DRAWS = 4000;

function draw(
  scenario: string,
  fraction: number,
  options = { alwaysPickVersion: false },
  seed = 7,
  draws = DRAWS,
): PlannedEvent[] {
  const source = new TrafficSource(model, reference, findScenario(scenario), new Random(seed), options);
  return Array.from({ length: draws }, () => source.next(fraction));
}

/**
 * Expects `hits` of `trials` seeded draws to make up the share `p`: within four binomial standard
 * errors of it. The draws are seeded, so the outcome is fixed; the band is what a fresh seed stays in
 * with probability 0.99994, so that consuming the generator in another order does not break the test,
 * while a rate that is not the scenario's falls outside it.
 */
function expectShare(hits: number, trials: number, p: number): void {
  const tolerance = 4 * Math.sqrt((p * (1 - p)) / trials);
  expect(trials).toBeGreaterThan(0);
  expect(hits / trials).toBeGreaterThanOrEqual(p - tolerance);
  expect(hits / trials).toBeLessThanOrEqual(p + tolerance);
}

/** The fault of `kind` in the phase of `scenario` at `fraction`, with the strength it applies at then. */
function faultAt<K extends FaultEffect['kind']>(
  scenario: string,
  fraction: number,
  kind: K,
): { fault: Extract<FaultEffect, { kind: K }>; strength: number } {
  const at = phaseAt(findScenario(scenario), fraction);
  const fault = (at.phase.faults ?? []).find((f): f is Extract<FaultEffect, { kind: K }> => f.kind === kind);
  if (fault === undefined) throw new Error(`scenario ${scenario} has no ${kind} fault at ${fraction}`);
  return { fault, strength: at.strength };
}

function mean(rows: readonly FeatureRow[], feature: string): number {
  const values = rows.map((r) => r[feature]).filter((v): v is number => typeof v === 'number');
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function share(rows: readonly FeatureRow[], feature: string, category: string): number {
  return rows.filter((r) => r[feature] === category).length / rows.length;
}

/** Relative change of each numeric feature's mean against the reference sample. */
function meanShifts(events: readonly PlannedEvent[]): Record<string, number> {
  const rows = events.map((e) => e.features);
  return Object.fromEntries(NUMERIC.map((f) => [f, Math.abs(mean(rows, f) / mean(reference, f) - 1)]));
}

describe('traffic source', () => {
  test('normal traffic draws reference rows unchanged, with every spec feature', () => {
    const events = draw('normal', MIDDLE);
    const keys = model.features.map((f) => f.name).sort();
    const referenceRows = new Set(reference.map((row) => JSON.stringify(row)));
    for (const event of events.slice(0, 200)) {
      expect(Object.keys(event.features).sort()).toEqual(keys);
      expect(referenceRows.has(JSON.stringify(event.features))).toBe(true);
    }
    expect(events.every((e) => e.version === undefined && e.addedLatencyMs === 0 && !e.fail)).toBe(true);
  });

  test('the same seed gives the same traffic', () => {
    expect(draw('drift', MIDDLE).slice(0, 20)).toEqual(draw('drift', MIDDLE).slice(0, 20));
  });

  test('the drift scenario shifts the named features and the merchant category share in the middle phase', () => {
    const middle = meanShifts(draw('drift', MIDDLE));
    for (const feature of [
      'amount',
      'transactions_24h',
      'distance_from_home_km',
      'account_age_days',
      'hour_of_day',
      'credit_score',
    ]) {
      expect([feature, (middle[feature] as number) > 0.08]).toEqual([feature, true]);
    }
    const referenceShare = share(reference, 'merchant_category', 'online_retail');
    const middleShare = share(
      draw('drift', MIDDLE).map((e) => e.features),
      'merchant_category',
      'online_retail',
    );
    expect(middleShare - referenceShare).toBeGreaterThan(0.3);
  });

  test.each([
    ['first', FIRST],
    ['last', LAST],
  ])('the drift scenario leaves the %s phase exactly as normal traffic with the same seed', (_name, fraction) => {
    expect(draw('drift', fraction)).toEqual(
      draw('normal', fraction).map((e) => ({ ...e, phase: fraction === FIRST ? 'normal' : 'recovery' })),
    );
  });

  test('the drift scenario touches more than half of the demo model features', () => {
    const effects = compileFeatureEffects(findScenario('drift').phases[1]?.features ?? [], model.features);
    const touched = new Set(effects.map((e) => e.feature));
    expect(touched.size / model.features.length).toBeGreaterThan(0.5);
  });

  test('the drift shift ramps: a quarter into the middle phase it is weaker than at full strength', () => {
    const ramping = meanShifts(draw('drift', 0.3))['amount'] as number;
    const full = meanShifts(draw('drift', MIDDLE))['amount'] as number;
    expect(ramping).toBeGreaterThan(0.05);
    expect(ramping).toBeLessThan(full * 0.6);
  });

  test('the drift-single scenario shifts exactly one feature (amount, by 1.8 at full strength)', () => {
    // Scaling draws nothing from the generator, so the same seed yields the same rows as normal traffic.
    const normal = draw('normal', MIDDLE);
    const single = draw('drift-single', MIDDLE);
    const changed = new Set<string>();
    single.forEach((event, i) => {
      const base = (normal[i] as PlannedEvent).features;
      for (const feature of model.features)
        if (event.features[feature.name] !== base[feature.name]) changed.add(feature.name);
      expect(Math.abs((event.features['amount'] as number) - (base['amount'] as number) * 1.8)).toBeLessThan(1e-3);
    });
    expect([...changed]).toEqual(['amount']);
  });

  test('an effect on a feature the model does not have is skipped', () => {
    const effects = compileFeatureEffects(
      [
        { kind: 'scale', feature: 'no_such_feature', factor: 2 },
        { kind: 'add', feature: 'merchant_category', delta: 1 },
      ],
      model.features,
    );
    expect(effects).toEqual([]);
  });

  test('the canary scenario splits traffic by its canary share between the baseline v1 and the canary v2, and only the canary fails and slows, at its rates', () => {
    // More draws than elsewhere: the error rate is small, and its band must be narrow enough to tell 0.08 from 0.1.
    const draws = 20_000;
    const events = draw('canary', MIDDLE, undefined, undefined, draws);
    const at = phaseAt(findScenario('canary'), MIDDLE);
    const error = faultAt('canary', MIDDLE, 'error');
    const latency = faultAt('canary', MIDDLE, 'latency');
    expect([error.fault.target, latency.fault.target]).toEqual(['canary', 'canary']);
    expect(events.every((e) => e.version === 'v1' || e.version === 'v2')).toBe(true);
    const v1 = events.filter((e) => e.version === 'v1');
    const v2 = events.filter((e) => e.version === 'v2');
    expectShare(v2.length, draws, (at.phase.canaryShare as number) * at.strength);
    expect(v1.some((e) => e.fail || e.addedLatencyMs > 0)).toBe(false);
    expectShare(v2.filter((e) => e.fail).length, v2.length, error.fault.rate * error.strength);
    expectShare(
      v2.filter((e) => e.addedLatencyMs === latency.fault.addMs).length,
      v2.length,
      latency.fault.share * latency.strength,
    );
    expect(v2.every((e) => e.addedLatencyMs === 0 || e.addedLatencyMs === latency.fault.addMs)).toBe(true);
  });

  test('ingest traffic names a version by the spec weights when the scenario does not split', () => {
    const events = draw('normal', MIDDLE, { alwaysPickVersion: true });
    const total = model.versions.reduce((sum, v) => sum + v.weight, 0);
    const v2 = model.versions.find((v) => v.name === 'v2');
    expect(events.every((e) => e.version === 'v1' || e.version === 'v2')).toBe(true);
    expectShare(events.filter((e) => e.version === 'v2').length, DRAWS, (v2?.weight ?? Number.NaN) / total);
  });

  test('the errors scenario fails its error rate of the middle phase and nothing before or after', () => {
    const failures = (fraction: number): number => draw('errors', fraction).filter((e) => e.fail).length;
    const { fault, strength } = faultAt('errors', MIDDLE, 'error');
    expect(failures(FIRST)).toBe(0);
    expectShare(failures(MIDDLE), DRAWS, fault.rate * strength);
    expect(failures(LAST)).toBe(0);
  });

  test('the latency scenario slows its share of the middle phase by its added latency, and nothing after', () => {
    const { fault, strength } = faultAt('latency', MIDDLE, 'latency');
    const middle = draw('latency', MIDDLE);
    expectShare(middle.filter((e) => e.addedLatencyMs === fault.addMs).length, DRAWS, fault.share * strength);
    expect(middle.every((e) => e.addedLatencyMs === 0 || e.addedLatencyMs === fault.addMs)).toBe(true);
    expect(draw('latency', LAST).some((e) => e.addedLatencyMs > 0)).toBe(false);
  });
});
