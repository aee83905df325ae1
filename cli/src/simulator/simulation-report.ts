import type { DelayedCounts } from './delayed-feed';
import type { LabelCounts } from './label-feed';
import type { OutcomeCounts, RealisedOutcomes } from './outcome-feed';
import { describeQuality, describeQualityBrief } from './realised-quality';
import type { SimulationProgress, SimulationSummary } from './simulation-options';
import { formatCounts } from './simulation-tally';

/** One progress line: elapsed time, phase and counts, and the last problem when something failed. */
export function describeProgress(progress: SimulationProgress): string {
  const problem =
    progress.lastProblem === undefined || progress.failed + progress.rejected === 0
      ? ''
      : ` (last problem: ${progress.lastProblem})`;
  const labels =
    progress.labels === undefined ? '' : `; labels sent ${progress.labels.sent}, accepted ${progress.labels.accepted}`;
  const outcomes =
    progress.outcomes === undefined
      ? ''
      : `; outcomes sent ${progress.outcomes.sent}, accepted ${progress.outcomes.accepted}`;
  return `simulate ${progress.elapsedSeconds.toFixed(0).padStart(5)} s  phase ${progress.phase}: ${formatCounts(progress)}${labels}${outcomes}${problem}`;
}

/** The line printed when the scenario enters a phase: "simulate phase drift begins at 60 s". */
export function describePhase(phase: string, elapsedSeconds: number): string {
  return `simulate phase ${phase} begins at ${elapsedSeconds.toFixed(0)} s`;
}

/** The phase a line written by describePhase names, or undefined for any other line. */
export function phaseOfLine(line: string): string | undefined {
  return /^simulate phase (\S+) begins at \d+ s$/.exec(line)?.[1];
}

/** Whether a line is one of describeProgress's (printed every progress interval from the start). */
export function isProgressLine(line: string): boolean {
  return /^simulate +\d+ s {2}phase /.test(line);
}

/** The closing line of a simulation run. */
export function describeSummary(summary: SimulationSummary): string {
  const unsent =
    summary.unsent === 0
      ? ''
      : `, unsent ${summary.unsent}${summary.aborted ? ' (stopped)' : ' (the target could not keep up)'}`;
  const skipped =
    summary.skippedReferenceRows === 0
      ? ''
      : `; ${summary.skippedReferenceRows} reference rows skipped for missing non-nullable features`;
  return (
    `simulate done: scenario ${summary.scenario}, ${summary.mode} mode, model ${summary.model}, ${summary.rate}/s for ${summary.durationSeconds} s ` +
    `(took ${summary.elapsedSeconds.toFixed(1)} s): ${formatCounts(summary)}${unsent}${skipped}`
  );
}

/** The line printed just before the closing one when the model got labels: "simulate labels sent 960 (…); realised accuracy …". */
export function describeLabelSummary(summary: SimulationSummary): string | undefined {
  return summary.labels === undefined ? undefined : `simulate ${describeLabels(summary.labels)}`;
}

/**
 * What became of the labels and the quality they measured: "labels sent 960 (accepted 955,
 * duplicates 0, unmatched 5, rejected 0, failed 0), dropped 0 (queue full), unsent 0, waiting 0;
 * realised accuracy 0.951 over 955 labels (normal 0.953, concept 0.612)".
 */
export function describeLabels(labels: LabelCounts): string {
  return `labels sent ${describeDelivered(labels)}; ${describeRealised(labels)}${describeLabelProblem(labels)}`;
}

/** "960 (accepted 955, duplicates 0, unmatched 5, rejected 0, failed 0), dropped 0 (queue full), unsent 0, waiting 0". */
function describeDelivered(counts: DelayedCounts): string {
  const answers =
    `accepted ${counts.accepted}, duplicates ${counts.duplicates}, unmatched ${counts.unmatched}, ` +
    `rejected ${counts.rejected}, failed ${counts.failed}`;
  return `${counts.sent} (${answers}), dropped ${counts.dropped} (queue full), unsent ${counts.unsent}, waiting ${counts.pending}`;
}

/** The line printed before the closing one when the model got outcomes: "simulate outcomes sent 2900 (…); realised per prediction …". */
export function describeOutcomeSummary(summary: SimulationSummary): string | undefined {
  return summary.outcomes === undefined ? undefined : `simulate ${describeOutcomes(summary.outcomes)}`;
}

/**
 * What became of the outcomes and what the business produced per version: "outcomes sent 2900
 * (accepted 2900, …), dropped 0 (queue full), unsent 0, waiting 0; realised per prediction:
 * v1 of 2700: checkout 0.594 (value 71.2), chargeback 0.0044 (value 0.51); v2 of 300: …".
 */
export function describeOutcomes(outcomes: OutcomeCounts): string {
  return `outcomes sent ${describeDelivered(outcomes)}; ${describeRealisedOutcomes(outcomes.realised)}${describeLabelProblem(outcomes)}`;
}

/** The rate and value per prediction of each event, by version. */
export function describeRealisedOutcomes(realised: readonly RealisedOutcomes[]): string {
  if (realised.length === 0) return 'realised outcomes: no predictions tracked yet';
  const versions = realised.map((r) => {
    const events = r.events.map(
      (e) =>
        `${e.event} ${readable(e.count / r.predictions)}${e.value === 0 ? '' : ` (value ${readable(e.value / r.predictions)})`}`,
    );
    return `${r.version} of ${r.predictions}: ${events.length === 0 ? 'none' : events.join(', ')}`;
  });
  return `realised per prediction: ${versions.join('; ')}`;
}

/** Three significant digits. */
function readable(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** " (last problem: …)" when labels (or outcomes) were lost or refused, else nothing. */
export function describeLabelProblem(labels: DelayedCounts): string {
  return labels.lastProblem === undefined || labels.failed + labels.rejected === 0
    ? ''
    : ` (last problem: ${labels.lastProblem})`;
}

/** "realised accuracy 0.951 over 955 labels (normal 0.953, concept 0.612)", per phase when there are several. */
export function describeRealised(labels: LabelCounts): string {
  const overall = labels.quality;
  if (overall.labels === 0) return 'realised quality: no labels sent yet';
  const phases =
    labels.qualityByPhase.length < 2
      ? ''
      : ` (${labels.qualityByPhase.map((q) => `${q.phase ?? ''} ${describeQualityBrief(q)}`).join('; ')})`;
  return `realised ${describeQuality(overall)} over ${overall.labels} labels${phases}`;
}
