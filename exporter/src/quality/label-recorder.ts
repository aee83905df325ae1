import type { QualityMetrics, VersionQuality } from '../metrics/quality-metrics';
import { LabelledWindow } from './labelled-window';

/**
 * Counts labels that found their prediction (joined or stateless): the confusion matrix or the
 * regression errors, the joined prediction's expected confusion row, the label delay, and the
 * version's recent labelled window for the performance report.
 */
export class LabelRecorder {
  /** By VersionSlot.index: the recent labelled predictions of each labelled version. */
  readonly windows: readonly (LabelledWindow | undefined)[];

  constructor(
    readonly quality: QualityMetrics,
    /** Labelled predictions each version's window keeps (`drift.window_size`). */
    windowSize: number,
  ) {
    this.windows = quality.versions.map((v) => (v.labelled ? new LabelledWindow(windowSize) : undefined));
  }

  /**
   * Counts a classification label of class `actual` for a prediction of class `predicted` with
   * raw confidence `confidence` (NaN: unknown); `delaySeconds` is NaN for a stateless label.
   */
  recordClass(
    version: VersionQuality,
    predicted: number,
    actual: number,
    confidence: number,
    delaySeconds: number,
  ): void {
    this.quality.recordClassLabel(version, predicted, actual, confidence);
    this.recordDelay(version, delaySeconds);
    this.windows[version.slot.index]?.addClass(predicted, actual, confidence, delaySeconds);
  }

  /** Counts a regression label `label` for a prediction of `output`; `delaySeconds` as for {@link recordClass}. */
  recordValue(version: VersionQuality, output: number, label: number, delaySeconds: number): void {
    this.quality.recordRegressionLabel(version, output, label);
    this.recordDelay(version, delaySeconds);
    this.windows[version.slot.index]?.addValue(output, label, delaySeconds);
  }

  private recordDelay(version: VersionQuality, delaySeconds: number): void {
    if (!Number.isNaN(delaySeconds)) this.quality.labelDelay.observe(version.delaySeries, delaySeconds);
  }
}
