import * as units from '@grafana/grafana-foundation-sdk/units';
import { conversionEvent, type CanarySpec } from '../../spec/src/schema';
import { CANARY_SIGNALS, METRICS, RECORDS } from '../../spec/src/conventions';
import { criticalZ } from '../../alerting/src/canary-critical-z';
import { formatDuration } from '../../alerting/src/prometheus-duration';
import {
  byCanaryWindow,
  outcomeWindows,
  versionMatcher,
  type CanaryModel,
  type OutcomeModel,
} from './common/business-models';
import { MODEL_FILTER, TARGET_FILTERS } from './common/filters';
import type { Section } from './common/layout';
import { redBelow, redFrom, timeSeriesPanel, type Placed, type Step } from './common/panels';
import { sel } from './common/queries';
import { alertWindow, modelsMatcher, type LabelledModel } from './common/tasks';
import { notPerExporter } from './common/waivers';
import { recordAtWindows, windowsText } from './quality-queries';

/** Why the canary panels ignore the job and instance variables. */
const CANARY_RULES_WAIVER =
  "The canary is judged by recording rules over every replica's counters (no job or instance label), the numbers the canary alert fires on.";

const waive = notPerExporter(CANARY_RULES_WAIVER);

/** The two sides of a canary, each drawn as one query: the baseline's versions, then the candidates'. */
const SIDES = [
  { role: 'baseline', version: (canary: CanarySpec) => canary.baseline },
  { role: 'canary', version: (canary: CanarySpec) => canary.candidate },
] as const;

/** A canary setting as one threshold when the models agree, else each model's in words. */
function shared(
  models: readonly CanaryModel[],
  pick: (canary: CanarySpec) => number,
): { value?: number; text: string } {
  const values = new Set(models.map((model) => pick(model.canary)));
  const [only] = values;
  if (values.size === 1 && only !== undefined) return { value: only, text: String(only) };
  return { text: models.map((model) => `${model.name} ${pick(model.canary)}`).join(', ') };
}

/** z of each signal against the critical value of canary.level, computed here as the rules compute it. */
function zPanel(models: readonly CanaryModel[]): Placed {
  const level = shared(models, (canary) => canary.level);
  const critical = level.value === undefined ? undefined : criticalZ(level.value);
  const steps: Step[] | undefined = critical === undefined ? undefined : redFrom(critical);
  return timeSeriesPanel({
    title: 'Canary z statistic by signal',
    description: `One-sided two-proportion z of the candidate against its baseline over ${windowsText(byCanaryWindow(models))} for each signal (${CANARY_SIGNALS.join(', ')}), positive when the candidate is worse${
      critical === undefined
        ? `; critical values differ by canary.level (${level.text})`
        : `; the dashed line is the critical value ${critical.toFixed(4)} of canary.level ${level.text}, above which the difference is significant`
    }.`,
    unit: units.NoUnit,
    width: 12,
    ...(steps === undefined ? {} : { steps }),
    waive,
    queries: [
      {
        expr: recordAtWindows(byCanaryWindow(models), RECORDS.canaryZ, [MODEL_FILTER]),
        legend: '{{signal}}: {{version}} against {{baseline}}',
      },
    ],
  });
}

/** What each side's z stands on, against the minimum the alert waits for. */
function volumePanel(models: readonly CanaryModel[]): Placed {
  const minimum = shared(models, (canary) => canary.min_volume);
  return timeSeriesPanel({
    title: 'Canary volume by side',
    description: `Predictions (labels, for accuracy) of the baseline and the candidate over ${windowsText(byCanaryWindow(models))} behind each signal's z; the alert waits until both sides reach canary.min_volume (${minimum.text}).`,
    unit: units.Short,
    width: 12,
    min: 0,
    ...(minimum.value === undefined ? {} : { steps: redBelow(minimum.value) }),
    waive,
    queries: [
      {
        expr: recordAtWindows(byCanaryWindow(models), RECORDS.canaryVolume, [MODEL_FILTER]),
        legend: '{{version}} {{signal}}',
      },
    ],
  });
}

function latencyRatioPanel(width: number): Placed {
  return timeSeriesPanel({
    title: 'Latency p99: canary ÷ baseline',
    description: "The candidate's p99 prediction latency divided by its baseline's: above 1 the canary is slower.",
    unit: units.NoUnit,
    width,
    min: 0,
    waive,
    queries: [{ expr: sel(RECORDS.canaryLatencyP99Ratio, MODEL_FILTER), legend: '{{version}} ÷ {{baseline}}' }],
  });
}

/** A version of one model's canary as the side it is on: `model=~"fraud", version="v2"`. */
function side(model: CanaryModel, version: string): string[] {
  return [modelsMatcher([model]), versionMatcher(version), MODEL_FILTER];
}

/** Error ratio of baseline and candidate over each model's canary window, from the prediction counters. */
function errorRatioPanel(models: readonly CanaryModel[], width: number): Placed {
  const ratio = (model: CanaryModel, version: string) => {
    const window = formatDuration(model.canary.window_seconds);
    const of = (...more: string[]) =>
      `sum by (model, version) (increase(${sel(METRICS.predictionsTotal, ...side(model, version), ...TARGET_FILTERS, ...more)}[${window}]))`;
    return `${of('status="error"')} / ${of()}`;
  };
  return timeSeriesPanel({
    title: 'Error ratio: baseline and canary',
    description: `Share of failed predictions of the baseline and the candidate over ${windowsText(byCanaryWindow(models))}, the error rates the errors signal compares.`,
    unit: units.PercentUnit,
    width,
    min: 0,
    waive: {
      'target-rate-interval-rule':
        'The error ratio is read over the canary window (canary.window_seconds), the one the errors signal judges, not the dashboard range.',
    },
    queries: SIDES.map(({ role, version }) => ({
      expr: models.map((model) => ratio(model, version(model.canary))).join(' or '),
      legend: `{{version}} ${role}`,
    })),
  });
}

/** Conversion rate (the conversion event's outcomes per prediction) of both sides over the first outcome window. */
function conversionPanel(models: readonly (CanaryModel & OutcomeModel)[], width: number): Placed {
  const rate = (model: CanaryModel & OutcomeModel, version: string) =>
    sel(
      RECORDS.outcomeRate(outcomeWindows(model)[0] as string),
      ...side(model, version),
      `event="${conversionEvent(model.outcomes)}"`,
    );
  return timeSeriesPanel({
    title: 'Conversion rate: baseline and canary',
    description: `Outcomes of the conversion event (outcomes.conversion_event: ${models.map((m) => `${m.name} ${conversionEvent(m.outcomes)}`).join(', ')}) per prediction of the baseline and the candidate over the first outcome window.`,
    unit: units.PercentUnit,
    width,
    min: 0,
    waive,
    queries: SIDES.map(({ role, version }) => ({
      expr: models.map((model) => rate(model, version(model.canary))).join(' or '),
      legend: `{{version}} ${role}`,
    })),
  });
}

/** Realised accuracy of both sides over the first quality window (classifiers with labels). */
function accuracyPanel(models: readonly (CanaryModel & LabelledModel)[], width: number): Placed {
  return timeSeriesPanel({
    title: 'Accuracy: baseline and canary',
    description:
      'Share of labelled predictions whose class was right, of the baseline and the candidate over the first quality window.',
    unit: units.PercentUnit,
    width,
    min: 0,
    max: 1,
    waive,
    queries: SIDES.map(({ role, version }) => ({
      expr: models
        .map((model) => sel(RECORDS.accuracy(alertWindow(model)), ...side(model, version(model.canary))))
        .join(' or '),
      legend: `{{version}} ${role}`,
    })),
  });
}

/**
 * Canary beside stable: the z statistic of each signal against its critical value, the volume of
 * each side, the latency ratio, and the error rate, conversion rate and accuracy of both sides.
 * None without canary models.
 */
export function canarySections(
  models: readonly CanaryModel[],
  withOutcomes: readonly (CanaryModel & OutcomeModel)[],
  labelled: readonly (CanaryModel & LabelledModel)[],
): Section[] {
  if (models.length === 0) return [];
  const count = 2 + (withOutcomes.length > 0 ? 1 : 0) + (labelled.length > 0 ? 1 : 0);
  const width = 24 / count;
  return [
    {
      title: `Canary against stable (canary window: ${windowsText(byCanaryWindow(models))})`,
      lines: [
        [zPanel(models), volumePanel(models)],
        [
          latencyRatioPanel(width),
          errorRatioPanel(models, width),
          ...(withOutcomes.length > 0 ? [conversionPanel(withOutcomes, width)] : []),
          ...(labelled.length > 0 ? [accuracyPanel(labelled, width)] : []),
        ],
      ],
    },
  ];
}
