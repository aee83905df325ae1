import { ALERTS, DASHBOARD_UIDS, LABELS, RECORDS, type CanarySignal } from '../../../spec/src/conventions';
import { conversionEvent } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import { criticalZ } from '../canary-critical-z';
import {
  canaryModels,
  canarySignals,
  canaryWindow,
  type CanaryModel,
  type SignalCounts,
} from '../rules/canary-recording';
import type { AlertCase, AlertDefinition, ExpectedAlert } from './alert-definition';
import { modelSwitch, type AnnotationTemplate, type TemplatePart } from './annotation-template';
import {
  CANARY_ALERT_GROUP,
  canaryFixture,
  sideSeries,
  twoProportionZ,
  type CanarySide,
  type Proportion,
} from './canary-cases';
import { settledAt } from './case-helpers';
import { formatGoG } from './go-format';

const { model: MODEL, version: VERSION, baseline: BASELINE, signal: SIGNAL } = LABELS;

/** What each signal's proportion is called in the alert text, and what its trials are. */
function signalWords(target: CanaryModel, signal: CanarySignal): { rate: string; trials: string } {
  switch (signal) {
    case 'errors':
      return { rate: 'error ratio', trials: 'predictions' };
    case 'conversion': {
      const outcomes = target.model.outcomes;
      return {
        rate: outcomes === undefined ? 'conversion rate' : `${conversionEvent(outcomes)} per prediction`,
        trials: 'predictions',
      };
    }
    case 'accuracy':
      return { rate: 'accuracy on labels', trials: 'labels' };
  }
}

/** The rates, z and volumes of one signal of one model, as the description says them. */
function signalText(ctx: AlertingContext, target: CanaryModel, counts: SignalCounts): AnnotationTemplate {
  const { baseline, candidate, level, min_volume: minVolume } = target.canary;
  const window = canaryWindow(target);
  const words = signalWords(target, counts.signal);
  const rate = (key: string, version: string): TemplatePart => ({
    query: { key, promql: `${counts.hits(version)} / ${counts.trials(version)}`, labels: [] },
    format: 'percent',
  });
  const volume = (key: string, version: string): TemplatePart => ({
    query: {
      key,
      promql: `${RECORDS.canaryVolume(window)}{${MODEL}="${target.model.name}",${VERSION}="${version}",${SIGNAL}="${counts.signal}"}`,
      labels: [],
    },
    format: 'count',
  });
  const path = `models[${target.index}].canary`;
  return [
    `its ${words.rate} over the last ${ctx.range(window)} is `,
    rate('candidateRate', candidate),
    ' against ',
    rate('baselineRate', baseline),
    ` on ${baseline}: z = `,
    { value: 'number' },
    `, above the critical value ${formatGoG(criticalZ(level), 4)} of a one-sided test at level ${level} (${path}.level), from `,
    volume('candidateVolume', candidate),
    ' and ',
    volume('baselineVolume', baseline),
    ` ${words.trials}, at least ${minVolume} each (${path}.min_volume)`,
  ];
}

export const canaryWorse: AlertDefinition = {
  name: ALERTS.canaryWorse,
  group: CANARY_ALERT_GROUP,
  dashboard: DASHBOARD_UIDS.businessVersions,
  perModel: true,
  optional: true,
  summary: ['A canary version does significantly worse than the version it is judged against.'],
  description: (ctx) => [
    'Model ',
    { label: MODEL },
    ' canary version ',
    { label: VERSION },
    ' does worse than ',
    { label: BASELINE },
    ' on ',
    { label: SIGNAL },
    ': ',
    modelSwitch(canaryModels(ctx.spec), (target) => [
      {
        switch: SIGNAL,
        cases: Object.fromEntries(
          canarySignals(ctx, target).map((counts) => [counts.signal, signalText(ctx, target, counts)]),
        ),
      },
    ]),
    ". The difference is too large to be chance at that level, at every evaluation over the alert's for: duration. Stop sending the canary traffic (set its weight to 0, or roll back), then compare the versions on the business and versions dashboard and read the canary's errors and logs.",
  ],
  value: ['z = ', { value: 'number' }],
  forms: (ctx) =>
    canaryModels(ctx.spec).map((target) => {
      const { baseline, candidate, level, min_volume: minVolume } = target.canary;
      const window = canaryWindow(target);
      const m = `${MODEL}="${target.model.name}"`;
      const volume = (v: string) => `${RECORDS.canaryVolume(window)}{${m},${VERSION}="${v}"} >= ${minVolume}`;
      return {
        severity: ctx.spec.alerts.severity.canary_worse,
        // Significant, and both sides with their minimum volume: a canary of twelve requests never pages.
        expr: `${RECORDS.canaryZ(window)}{${m}} > ${Number(criticalZ(level).toPrecision(12))}\nand on (${MODEL}, ${SIGNAL})\n${volume(baseline)}\nand on (${MODEL}, ${SIGNAL})\n${volume(candidate)}`,
        forSeconds: ctx.spec.alerts.for_seconds.canary_worse,
        labels: { [MODEL]: target.model.name },
      };
    }),
  cases: (ctx) => canaryCases(ctx),
};

/**
 * Conversion cases, or error cases for a model without outcomes, per canary window. The baseline
 * converts (or fails) 10% of 2000; in the demo (min_volume 300, level 0.01, critical value 2.326):
 *
 *   fires:   v2 25 of 500 (5%): p̂ = 225/2500 = 0.09,
 *            z = (0.10 − 0.05) / sqrt(0.09 · 0.91 · (1/2000 + 1/500)) = 0.05 / 0.014309 = 3.494
 *   silent:  v2 45 of 500 (9%): p̂ = 245/2500 = 0.098, z = 0.01 / sqrt(0.098 · 0.902 · 0.0025) = 0.673
 *   silent:  v2 6 of 299 (2%): p̂ = 206/2299 = 0.0896,
 *            z = (0.1 − 0.02007) / sqrt(0.0896 · 0.9104 · (1/2000 + 1/299)) = 4.51, significant,
 *            but 299 predictions is one below min_volume
 *
 * (errors: 15%, 11% and 20% of the canary fail against the baseline's 10%; higher is worse).
 */
function canaryCases(ctx: AlertingContext): AlertCase[] {
  const fx = canaryFixture(ctx);
  if (fx === undefined) return [];
  const { outcomes } = fx.target.model;
  const conversion = outcomes === undefined ? undefined : conversionEvent(outcomes);
  const signal: CanarySignal = conversion === undefined ? 'errors' : 'conversion';
  const worse = signal === 'conversion' ? 'lower' : 'higher';
  const forSeconds = ctx.spec.alerts.for_seconds.canary_worse;
  const minVolume = fx.target.canary.min_volume;
  const critical = criticalZ(fx.target.canary.level);
  // Volumes scale with min_volume so the cases hold for any spec: the demo's 300 gives 2000 and 500.
  const scale = Math.max(1, Math.ceil(minVolume / 300));
  const evalAtSeconds = settledAt(fx.windowSeconds + fx.delaySeconds, forSeconds, fx.intervalSeconds);
  const side = (version: string, { hits, trials }: Proportion): CanarySide =>
    signal === 'conversion'
      ? { version, success: trials, errors: 0, conversions: hits }
      : { version, success: trials - hits, errors: hits, conversions: 0 };
  const proportion = (share: number, trials: number): Proportion => ({ hits: Math.round(share * trials), trials });
  const baseline = proportion(0.1, 2000 * scale);
  const make = (what: string, candidate: Proportion): { z: number; alertCase: AlertCase } => {
    const z = twoProportionZ(baseline, candidate, worse);
    const fires = z > critical && candidate.trials >= minVolume && baseline.trials >= minVolume;
    const expected: ExpectedAlert[] = fires
      ? [
          {
            severity: ctx.spec.alerts.severity.canary_worse,
            labels: { model: fx.model, version: fx.candidate, baseline: fx.baseline, signal },
            value: z,
            queries: {
              candidateRate: candidate.hits / candidate.trials,
              baselineRate: baseline.hits / baseline.trials,
              candidateVolume: candidate.trials,
              baselineVolume: baseline.trials,
            },
          },
        ]
      : [];
    const title = `${fires ? 'fires' : 'silent'} on ${signal}: ${what} (${candidate.hits} of ${candidate.trials} against ${baseline.hits} of ${baseline.trials}, z = ${formatGoG(z, 3)})`;
    return {
      z,
      alertCase: {
        title,
        intervalSeconds: fx.intervalSeconds,
        evaluationSeconds: fx.intervalSeconds,
        evalAtSeconds,
        series: [
          ...sideSeries(ctx, fx, side(fx.baseline, baseline), evalAtSeconds, conversion),
          ...sideSeries(ctx, fx, side(fx.candidate, candidate), evalAtSeconds, conversion),
        ],
        expected,
        suite: fx.suite,
      },
    };
  };
  const shares = signal === 'conversion' ? [0.05, 0.09, 0.02] : [0.15, 0.11, 0.2];
  const [significant, chance, small] = shares as [number, number, number];
  const fired = make('significantly worse, both versions with enough volume', proportion(significant, 500 * scale));
  const quiet = make('a difference chance explains, not significant', proportion(chance, 500 * scale));
  // One below the minimum volume; a tiny minimum leaves too few predictions for any z to mean much.
  const few =
    minVolume > 100
      ? [make('significantly worse, but the canary below canary.min_volume', proportion(small, minVolume - 1))]
      : [];
  // Titles say what each case expects from its own z, so a spec with another level or volume keeps honest titles.
  return [fired, quiet, ...few].map((c) => c.alertCase);
}
