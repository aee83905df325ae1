/**
 * The simulator's scenarios as data: each is a list of phases with a share of the
 * run and what that phase does to the inputs (feature effects), to serving
 * (extra latency, errors, a canary split), to the ground truth the labels report
 * (truth effects) and to the business outcomes that follow predictions (outcome effects).
 * Code elsewhere interprets them.
 */

/** A change to one input feature; a feature the model does not have is skipped. */
export type FeatureEffect =
  /** Multiplies a numeric feature: at half strength, a factor of 1.8 multiplies by 1.4. */
  | { readonly kind: 'scale'; readonly feature: string; readonly factor: number }
  /** Adds to a numeric feature. */
  | { readonly kind: 'add'; readonly feature: string; readonly delta: number }
  /** Replaces the value of a `share` of rows with one drawn from `values` (categories or numbers). */
  | {
      readonly kind: 'replace';
      readonly feature: string;
      readonly share: number;
      readonly values: readonly (string | number)[];
    };

/** Which versions a serving fault hits: all of them, or only the canary (the spec's least-weighted version). */
export type FaultTarget = 'all' | 'canary';

/** A serving problem: slower predictions for a share of the traffic, or failed ones. */
export type FaultEffect =
  | { readonly kind: 'latency'; readonly addMs: number; readonly share: number; readonly target: FaultTarget }
  | { readonly kind: 'error'; readonly rate: number; readonly target: FaultTarget };

/**
 * A change to the ground truth the labels report while the inputs stay as they are: concept
 * drift. An effect that does not fit the model's task (a flip for regression) is skipped.
 */
export type TruthEffect =
  /** Classification: a `share` of the labels name another class than the inputs' truth (a random other one). */
  | { readonly kind: 'flip'; readonly share: number }
  /**
   * Regression: the true value moves by `bias` times its size and gains normal noise with a
   * standard deviation of `noise` times its size (at half strength, half of both).
   */
  | { readonly kind: 'distort'; readonly bias: number; readonly noise: number };

/**
 * A change to the business after the predictions of the targeted versions: the chance of the
 * model's conversion event is multiplied by `factor` (at half strength, 0.4 multiplies by 0.7).
 */
export type OutcomeEffect = { readonly kind: 'conversion'; readonly factor: number; readonly target: FaultTarget };

/** One stretch of a scenario. */
export interface PhaseDefinition {
  readonly name: string;
  /** Fraction of the run's duration; the shares of a scenario sum to 1. */
  readonly share: number;
  /** Fraction of the phase over which its effects ramp linearly from nothing to full strength; absent means full strength at once. */
  readonly ramp?: number;
  readonly features?: readonly FeatureEffect[];
  readonly faults?: readonly FaultEffect[];
  /** Changes to the labels' ground truth (concept drift); the inputs the model sees are untouched. */
  readonly truth?: readonly TruthEffect[];
  /** Changes to the business outcomes of the predictions (models with `outcomes` only). */
  readonly outcomes?: readonly OutcomeEffect[];
  /** Share of traffic pinned to the canary version (the rest to the baseline); absent means the spec's weights. */
  readonly canaryShare?: number;
}

/** A named traffic pattern. */
export interface ScenarioDefinition {
  readonly name: string;
  readonly summary: string;
  readonly phases: readonly PhaseDefinition[];
}

/** The phase a moment of the run falls in, and how strongly its effects apply then. */
export interface PhaseAt {
  readonly index: number;
  readonly phase: PhaseDefinition;
  /** How far into the phase, from 0 to 1. */
  readonly progress: number;
  /** Multiplier of the phase's effects, from 0 to 1. */
  readonly strength: number;
}

/** Night hours the drift scenario pulls payments towards (fraud loves 0–4 am). */
const NIGHT_HOURS = [0, 1, 2, 3, 4];

/**
 * The input shift of the `drift` scenario: six of the demo model's seven numeric features
 * and one categorical one, so that the dataset-drift share (0.5 by default) is clearly exceeded.
 */
const WIDE_DRIFT: readonly FeatureEffect[] = [
  { kind: 'scale', feature: 'amount', factor: 1.8 },
  { kind: 'add', feature: 'transactions_24h', delta: 3 },
  { kind: 'scale', feature: 'distance_from_home_km', factor: 3 },
  { kind: 'scale', feature: 'account_age_days', factor: 0.4 },
  { kind: 'replace', feature: 'hour_of_day', share: 0.5, values: NIGHT_HOURS },
  { kind: 'add', feature: 'credit_score', delta: -60 },
  // Replacing half of the rows adds about 38 points to a category at 24%.
  { kind: 'replace', feature: 'merchant_category', share: 0.5, values: ['online_retail'] },
];

/**
 * The concept drift of the `quality` scenario. The demo fraud model is right about 95% of the
 * time (it calls almost every payment legit, and about 95% are); with a share s of the labels
 * flipped its accuracy is 0.95 (1 - s) + 0.05 s, so 0.45 takes it to about 0.55, far below an
 * accuracy floor of 0.9, while the ramp makes the fall gradual. A regression model's truth
 * doubles and gets noise of 40% of its size: the demo spend model's MAE of about 125 EUR
 * passes 260 over the phase, well above its ceiling of 180.
 */
const CONCEPT_DRIFT: readonly TruthEffect[] = [
  { kind: 'flip', share: 0.45 },
  { kind: 'distort', bias: 1, noise: 0.4 },
];

/** Share of the `canary` scenario's traffic pinned to the canary version. */
export const CANARY_SHARE = 0.5;

/**
 * How the `canary` scenario's canary converts against the baseline on the same traffic: its
 * customers complete a third fewer checkouts (the demo fraud model's 0.6 becomes 0.4).
 */
export const CANARY_CONVERSION_FACTOR = 2 / 3;

/** Quarter of normal traffic, half with the issue (ramping when gradual), quarter of recovery. */
function normalIssueRecovery(issue: Omit<PhaseDefinition, 'share'>): readonly PhaseDefinition[] {
  return [
    { name: 'normal', share: 0.25 },
    { ...issue, share: 0.5 },
    { name: 'recovery', share: 0.25 },
  ];
}

/** Every scenario, by name. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'normal',
    summary: 'reference traffic throughout',
    phases: [{ name: 'normal', share: 1 }],
  },
  {
    name: 'drift',
    summary: 'most features drift gradually in the middle half, then recover',
    // The shift ramps over the first half of its phase and then holds, so windows see it at full strength.
    phases: normalIssueRecovery({ name: 'drift', ramp: 0.5, features: WIDE_DRIFT }),
  },
  {
    name: 'drift-single',
    summary: 'one feature (amount) drifts gradually in the middle half, then recovers',
    phases: normalIssueRecovery({
      name: 'drift',
      ramp: 0.5,
      features: [{ kind: 'scale', feature: 'amount', factor: 1.8 }],
    }),
  },
  {
    name: 'quality',
    summary: 'the labels stop matching the inputs (concept drift) in the middle half: accuracy falls, inputs stay put',
    // Like the drift scenario the change ramps over the first half of its phase and then holds.
    phases: normalIssueRecovery({ name: 'concept', ramp: 0.5, truth: CONCEPT_DRIFT }),
  },
  {
    name: 'latency',
    summary: 'half of the predictions take 300 ms longer in the middle half',
    // 300 ms is above the demo spec's latency target (0.25 s), so the latency SLO burns.
    phases: normalIssueRecovery({ name: 'slow', faults: [{ kind: 'latency', addMs: 300, share: 0.5, target: 'all' }] }),
  },
  {
    name: 'errors',
    summary: '30% of the predictions fail in the middle half',
    phases: normalIssueRecovery({ name: 'error-burst', faults: [{ kind: 'error', rate: 0.3, target: 'all' }] }),
  },
  {
    name: 'canary',
    summary:
      'traffic split 50/50 between baseline and canary; the canary is slower, fails more and converts a third worse',
    phases: [
      {
        name: 'canary',
        share: 1,
        // Half of the traffic, whatever the spec's weights: the demo canary guard's min_volume of
        // 300 predictions per version in the fast profile's 60 s window needs 5 events/s for
        // each version, so 10 events/s in all.
        canaryShare: CANARY_SHARE,
        faults: [
          { kind: 'latency', addMs: 200, share: 0.5, target: 'canary' },
          { kind: 'error', rate: 0.08, target: 'canary' },
        ],
        outcomes: [{ kind: 'conversion', factor: CANARY_CONVERSION_FACTOR, target: 'canary' }],
      },
    ],
  },
];

/** Names of all scenarios, for usage text and errors. */
export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/** The scenario called `name`; throws naming the known ones when there is none. */
export function findScenario(name: string): ScenarioDefinition {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (scenario === undefined)
    throw new RangeError(`unknown scenario ${JSON.stringify(name)} (known: ${SCENARIO_NAMES.join(', ')})`);
  return scenario;
}

/** The phase at `fraction` (0 to 1) of the run; past the end, the last phase at full progress. */
export function phaseAt(scenario: ScenarioDefinition, fraction: number): PhaseAt {
  const at = Math.min(1, Math.max(0, fraction));
  let start = 0;
  const last = scenario.phases.length - 1;
  for (let index = 0; index <= last; index++) {
    const phase = scenario.phases[index] as PhaseDefinition;
    const end = index === last ? 1 : start + phase.share;
    if (at < end || index === last) {
      const progress = end > start ? Math.min(1, (at - start) / (end - start)) : 1;
      return { index, phase, progress, strength: rampStrength(phase, progress) };
    }
    start = end;
  }
  throw new RangeError(`scenario ${scenario.name} has no phases`);
}

/** The largest latency any phase adds, in milliseconds; sizes the number of requests in flight. */
export function maxAddedLatencyMs(scenario: ScenarioDefinition): number {
  let max = 0;
  for (const phase of scenario.phases) {
    for (const fault of phase.faults ?? []) if (fault.kind === 'latency') max = Math.max(max, fault.addMs);
  }
  return max;
}

/** True when some phase injects latency or errors, which predict mode asks of the exporter. */
export function needsFaults(scenario: ScenarioDefinition): boolean {
  return scenario.phases.some((p) => (p.faults ?? []).length > 0);
}

function rampStrength(phase: PhaseDefinition, progress: number): number {
  if (phase.ramp === undefined || phase.ramp <= 0) return 1;
  return Math.min(1, progress / phase.ramp);
}
