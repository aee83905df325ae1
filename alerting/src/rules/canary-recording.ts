import { LABELS, METRICS, RECORDS, type CanarySignal } from '../../../spec/src/conventions';
import { conversionEvent, type Spec } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import { formatDuration } from '../prometheus-duration';
import { modelsWith, type ModelWith } from './models-with';
import { offsetClause } from './prediction-counts';
import type { RecordingRule, RuleGroup } from './rule-types';

const { model: MODEL, version: VERSION, baseline: BASELINE, signal: SIGNAL } = LABELS;

/** A model with a canary: its spec, its canary section and its place in `models`. */
export type CanaryModel = ModelWith<'canary'>;

/** The models of the spec with a `canary` section, in spec order. */
export function canaryModels(spec: Spec): CanaryModel[] {
  return modelsWith(spec, 'canary');
}

/** Name of the group (and file) of a model's canary rules. */
export function canaryGroupName(model: string): string {
  return `mlwatch-canary-recording-${model}`;
}

/** The canary's window, named (`1h`). */
export function canaryWindow(target: CanaryModel): string {
  return formatDuration(target.canary.window_seconds);
}

/**
 * What a canary signal counts per version: `hits` of `trials` (a PromQL vector by model, for one
 * version), and which direction is worse.
 */
export interface SignalCounts {
  readonly signal: CanarySignal;
  readonly worse: 'higher' | 'lower';
  hits(version: string): string;
  trials(version: string): string;
}

/**
 * The signals that apply to a model: the error ratio always; the conversion event per prediction
 * (the predictions of the window one attribution delay earlier) when the model has outcomes; realised
 * accuracy (the confusion matrix's diagonal of `mlwatch_labels_total`) when a classifier has labels.
 */
export function canarySignals(ctx: AlertingContext, target: CanaryModel): SignalCounts[] {
  const m = target.model.name;
  const range = ctx.range(canaryWindow(target));
  const count = (metric: string, version: string, matchers = '', offset = '') =>
    `increase(${metric}{${MODEL}="${m}",${VERSION}="${version}"${matchers}}[${range}]${offset})`;
  const total = (expr: string) => `sum by (${MODEL}) (${expr})`;
  const signals: SignalCounts[] = [
    {
      signal: 'errors',
      worse: 'higher',
      hits: (v) => total(count(METRICS.predictionsTotal, v, ',status="error"')),
      trials: (v) => total(count(METRICS.predictionsTotal, v)),
    },
  ];
  const { outcomes, quality, classes } = target.model;
  if (outcomes !== undefined) {
    const delay = offsetClause(ctx, outcomes.attribution_delay_seconds);
    signals.push({
      signal: 'conversion',
      worse: 'lower',
      hits: (v) => total(count(METRICS.outcomesTotal, v, `,${LABELS.event}="${conversionEvent(outcomes)}"`)),
      trials: (v) => total(count(METRICS.predictionsTotal, v, ',status="success"', delay)),
    });
  }
  if (quality !== undefined && target.model.task !== 'regression') {
    const { predicted, actual } = LABELS;
    signals.push({
      signal: 'accuracy',
      worse: 'lower',
      hits: (v) =>
        total(
          (classes ?? [])
            .map((c) => count(METRICS.labelsTotal, v, `,${predicted}="${c}",${actual}="${c}"`))
            .join(' or '),
        ),
      trials: (v) => total(count(METRICS.labelsTotal, v)),
    });
  }
  return signals;
}

/** `expr` with constant labels added, one label_replace each. */
function withLabels(expr: string, labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).reduce(
    (inner, [name, value]) => `label_replace(\n${inner},\n"${name}", "${value}", "", ""\n)`,
    expr,
  );
}

/**
 * Canary rules, one group per model with a canary, over `canary.window_seconds`: per signal the
 * volume of each version (`canaryVolume`, labelled model, version, signal) and the one-sided
 * two-proportion z statistic of the candidate against the baseline (`canaryZ`, labelled model,
 * version = candidate, baseline, signal), positive when the candidate is worse:
 *
 *   z = (p_c − p_b) / sqrt(p̂ (1 − p̂) (1/n_b + 1/n_c)),  p̂ = (x_b + x_c) / (n_b + n_c)
 *
 * (p_b − p_c when lower is worse), with p̂ (1 − p̂) (1/n_b + 1/n_c) written as
 * x (n − x) / (n n_b n_c) for x = x_b + x_c, n = n_b + n_c. And the candidate's latency p99 over the
 * baseline's. Counters of every replica are summed before any division.
 */
export function canaryRecordingGroups(ctx: AlertingContext): RuleGroup[] {
  return canaryModels(ctx.spec).map((target) => {
    const window = canaryWindow(target);
    const signals = canarySignals(ctx, target);
    // One rule per record, the signals joined by `or` (their `signal` labels differ): two rules of one
    // name in a group are what promtool's lint calls duplicates.
    const joined = (part: (counts: SignalCounts) => string) => signals.map(part).join('\nor\n');
    return {
      name: canaryGroupName(target.model.name),
      rules: [
        { record: RECORDS.canaryVolume(window), expr: joined((counts) => volumeExpr(target, counts)) },
        { record: RECORDS.canaryZ(window), expr: joined((counts) => zExpr(target, counts)) },
        latencyRatioRule(target),
      ],
    };
  });
}

/** Trials of each version, labelled with the signal. */
function volumeExpr(target: CanaryModel, counts: SignalCounts): string {
  const { baseline, candidate } = target.canary;
  const trials = (v: string) => withLabels(counts.trials(v), { [VERSION]: v });
  return withLabels(`${trials(baseline)}\nor\n${trials(candidate)}`, { [SIGNAL]: counts.signal });
}

/** The z statistic of one signal; it reads the volumes recorded just before it in the group. */
function zExpr(target: CanaryModel, counts: SignalCounts): string {
  const { baseline, candidate } = target.canary;
  const window = canaryWindow(target);
  const volume = (v: string) =>
    `(sum by (${MODEL}) (${RECORDS.canaryVolume(window)}{${MODEL}="${target.model.name}",${VERSION}="${v}",${SIGNAL}="${counts.signal}"}) > 0)`;
  const [nb, nc] = [volume(baseline), volume(candidate)];
  const [xb, xc] = [counts.hits(baseline), counts.hits(candidate)];
  const [pb, pc] = [`${xb} / ${nb}`, `${xc} / ${nc}`];
  const difference = counts.worse === 'higher' ? `(${pc})\n-\n(${pb})` : `(${pb})\n-\n(${pc})`;
  const variance = `(${xb} + ${xc})\n* (${nb} + ${nc} - ${xb} - ${xc})\n/ ((${nb} + ${nc}) * ${nb} * ${nc})`;
  // p̂ of 0 or 1 (no error, or every prediction converted, on both sides) has no variance: the two
  // proportions are then equal, and z is 0, "no evidence of a difference", rather than 0/0. A zero
  // keeps the dashboard's line and the alert's comparison defined and can never exceed a critical
  // value (level ≤ 0.5 makes it ≥ 0). No volume on either side is no sample.
  const z = `(\n${difference}\n)\n/\nsqrt(\n${variance}\n> 0\n)\nor\n(\n${difference}\n) == 0`;
  return withLabels(z, { [VERSION]: candidate, [BASELINE]: baseline, [SIGNAL]: counts.signal });
}

function latencyRatioRule(target: CanaryModel): RecordingRule {
  const { baseline, candidate } = target.canary;
  const p99 = (v: string) =>
    `sum by (${MODEL}) (${RECORDS.latencyQuantile('p99')}{${MODEL}="${target.model.name}",${VERSION}="${v}"})`;
  // A p99 of no traffic is NaN: `>= 0` and `> 0` drop it, so the ratio is missing rather than NaN.
  return {
    record: RECORDS.canaryLatencyP99Ratio,
    expr: withLabels(`(${p99(candidate)} >= 0)\n/\n(${p99(baseline)} > 0)`, {
      [VERSION]: candidate,
      [BASELINE]: baseline,
    }),
  };
}
