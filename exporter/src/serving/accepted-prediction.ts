import type { PredictionStatus } from '../../../spec/src/conventions';
import type { DriftRecorder } from '../drift/drift-recorder';
import type { ValidationModel } from '../ingest/event-validator';
import type { IdStore } from '../joins/id-store';
import type { JoinStore } from '../joins/join-store';
import { MemoryJoinStore } from '../joins/memory-join-store';
import type { PredictionLog, PredictionLogEntry, PredictionSource } from '../logging/prediction-log';
import type { ExporterMetrics } from '../metrics/exporter-metrics';
import type { VersionSlot } from '../metrics/series-layout';
import { FeatureRecordingPlan } from './feature-recording-plan';

/** A prediction the exporter accepted, served by itself or ingested; what every step of recording reads. */
export interface AcceptedPrediction {
  readonly model: ValidationModel;
  readonly slot: VersionSlot;
  readonly status: PredictionStatus;
  readonly features: Readonly<Record<string, unknown>>;
  /** The predicted class name, or the regression output; undefined for a failed prediction. */
  readonly prediction: string | number | undefined;
  /** Index of the predicted class in the model's classes, or -1 for none (errors, regression). */
  readonly classIndex: number;
  /** Probability of the predicted class, when known. */
  readonly confidence: number | undefined;
  /** Probability per class name, when known (served predictions; ingested events that sent them). */
  readonly probabilities?: Readonly<Record<string, number>> | undefined;
  /** Seconds, when known. */
  readonly latencySeconds: number | undefined;
  /** The prediction's id: a served prediction's own, an ingested event's when it has one (else it cannot be deduplicated). */
  readonly predictionId: string | undefined;
}

/** What the recorder needs of the exporter: its metrics, the drift side (when on), the prediction log and the recent ids. */
export interface RecorderDeps {
  readonly catalog: { readonly models: ReadonlyMap<string, ValidationModel> };
  readonly metrics: ExporterMetrics;
  readonly drift?: DriftRecorder | undefined;
  readonly predictionLog: PredictionLog;
  /** The recent prediction ids; without it nothing is deduplicated. */
  readonly ids?: IdStore | undefined;
  /** Where labels and outcomes find their predictions; without it (no model takes either) nothing is remembered. */
  readonly joins?: JoinStore | undefined;
}

/**
 * The one way an accepted prediction is recorded, for served and ingested ones alike: its id
 * claimed in the recent-id store (a duplicate is counted as one and recorded no further), the
 * prediction counters and histograms, the features (missing values, unseen categories, drift
 * window, fleet bins, in one compiled pass per model version), the quality side (a labelled
 * classifier's expected confusion row, a regression's output histogram, the prediction remembered
 * for its label) and the sampled prediction log.
 */
export class AcceptedPredictionRecorder {
  /** By version slot index: each version's features compiled against its window. */
  private readonly plans: FeatureRecordingPlan[] = [];
  /**
   * The join store predictions are remembered in, or undefined: the memory store reads the
   * recent-id store, which the id claim fills already, so nothing (not even the object) is made for it.
   */
  private readonly remembering: JoinStore | undefined;

  constructor(private readonly deps: RecorderDeps) {
    this.remembering = deps.joins instanceof MemoryJoinStore ? undefined : deps.joins;
    const { metrics, drift } = deps;
    for (const model of deps.catalog.models.values()) {
      const bins = drift?.fleet.models.get(model.spec.name);
      for (const slot of model.slot.versions.values()) {
        this.plans[slot.index] = new FeatureRecordingPlan(model.spec, model.slot, {
          featureMissing: metrics.featureMissing,
          featureOtherCategory: metrics.featureOtherCategory,
          window: drift?.windowOf(slot),
          fleet: drift === undefined || bins === undefined ? undefined : { counters: drift.fleet, bins },
        });
      }
    }
  }

  /**
   * Records a prediction whose features its model's validator checked last, in this turn (a batch
   * validates and records event by event): the validator's row is read, not the feature object.
   * `describe` builds the log line when the log samples this one; `nowMs` is the arrival time.
   * Returns false, recording nothing but the duplicate, when the prediction id was seen recently.
   */
  recordChecked<E extends AcceptedPrediction>(
    event: E,
    source: PredictionSource,
    describe: (event: E) => PredictionLogEntry,
    nowMs: number,
  ): boolean {
    const { metrics, predictionLog, ids } = this.deps;
    const slot = event.slot;
    const output = typeof event.prediction === 'number' ? event.prediction : Number.NaN;
    const confidence = event.confidence ?? Number.NaN;
    const id = event.predictionId;
    if (
      id !== undefined &&
      ids !== undefined &&
      !ids.claim(id, slot.index, event.classIndex, output, nowMs, confidence)
    ) {
      metrics.duplicate(slot.model);
      return false;
    }
    metrics.predictions.inc(metrics.layout.statusSeries(slot, event.status));
    if (event.latencySeconds !== undefined) metrics.latency.observe(slot.index, event.latencySeconds);
    if (event.status === 'success') {
      if (event.confidence !== undefined) metrics.confidence.observe(slot.index, event.confidence);
      if (event.classIndex >= 0) metrics.predictedClass.inc(slot.classBase + event.classIndex);
      this.recordQuality(event, id, output, confidence, nowMs);
    }
    (this.plans[slot.index] as FeatureRecordingPlan).record(
      event.model.validator.row,
      event.classIndex,
      output,
      event.confidence ?? Number.NaN,
      nowMs,
    );
    if (predictionLog.sampled(source)) predictionLog.write(describe(event));
    return true;
  }

  /** The quality side of a successful, newly claimed prediction (remembered for labels and outcomes); nothing for a model without labels, outcomes or regression output. */
  private recordQuality(
    event: AcceptedPrediction,
    id: string | undefined,
    output: number,
    confidence: number,
    nowMs: number,
  ): void {
    const quality = this.deps.metrics.quality;
    const version = quality.versions[event.slot.index];
    if (version === undefined) return;
    if (version.valueSeries >= 0 && !Number.isNaN(output)) quality.predictionValue.observe(version.valueSeries, output);
    // Only a labelled classifier has a confusion matrix.
    if (version.confusionBase >= 0) quality.recordExpected(version, event.classIndex, confidence, event.probabilities);
    const joins = this.remembering;
    // Labels and outcomes find it in a shared store; a model taking neither needs nothing there.
    if (id !== undefined && joins !== undefined && (version.labelled || version.model.outcomes !== undefined))
      joins.remember(id, {
        model: event.slot.model,
        version: event.slot.version,
        classIndex: event.classIndex,
        output,
        confidence,
        timeMs: nowMs,
      });
  }

  /**
   * Records a prediction whose features were checked earlier, possibly before other requests
   * were (a served prediction may wait for an injected delay): reads them again first.
   * Returns false for a duplicate, as {@link recordChecked} does.
   */
  record<E extends AcceptedPrediction>(
    event: E,
    source: PredictionSource,
    describe: (event: E) => PredictionLogEntry,
    nowMs: number,
  ): boolean {
    const problem = event.model.validator.check(event.features);
    if (problem !== null) throw new Error(`features changed after validation: ${problem.message}`);
    return this.recordChecked(event, source, describe, nowMs);
  }
}
