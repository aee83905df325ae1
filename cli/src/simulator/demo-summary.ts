import type { DriftReport } from '../../../drift/src/engine/drift-report';
import { quantile } from 'simple-statistics';
import type { LabelCounts } from './label-feed';
import { describeLabelProblem, describeRealised } from './simulation-report';
import type { DeliveryOutcome, SimulationCounts } from './simulation-tally';

/** Seconds between the demo's summary lines. */
export const DEMO_SUMMARY_INTERVAL_SECONDS = 15;

const PERCENTILES = [0.5, 0.95, 0.99] as const;
/** Features named when drift is found; the rest are counted. */
const NAMED_FEATURES = 3;

/** The round trips of the requests answered since the last summary. */
export class LatencyWindow {
  private samples: number[] = [];

  add(outcome: DeliveryOutcome): void {
    if (outcome.latencyMs !== undefined) this.samples.push(outcome.latencyMs);
  }

  /** The samples gathered since the last call, and a fresh window. */
  take(): number[] {
    const taken = this.samples;
    this.samples = [];
    return taken;
  }
}

/** What one summary line says. */
export interface DemoSummaryInput {
  readonly elapsedSeconds: number;
  /** Totals since the start. */
  readonly counts: SimulationCounts;
  /** Round trips (ms) of the requests answered since the previous summary. */
  readonly latenciesMs: readonly number[];
  /** The exporter's latest drift report of the model, if it has evaluated one. */
  readonly drift: DriftReport | undefined;
  /** The labels so far, when the model gets labels. */
  readonly labels?: LabelCounts | undefined;
}

/** "summary   30 s  requests 1500, success 99.6% (…); latency p50 1.8 ms, p95 4.2 ms, p99 8.0 ms over 750 requests; drift: none …". */
export function describeDemoSummary(input: DemoSummaryInput): string {
  const labels = input.labels === undefined ? '' : `; ${describeDemoLabels(input.labels)}`;
  return `summary ${input.elapsedSeconds.toFixed(0).padStart(5)} s  ${describeRequests(input.counts)}; ${describeLatency(input.latenciesMs)}; drift: ${describeDrift(input.drift)}${labels}`;
}

/** "labels 955 sent, 950 accepted, 5 unmatched, 0 dropped; realised accuracy 0.951 over 950 labels". */
export function describeDemoLabels(labels: LabelCounts): string {
  const lost = labels.dropped + labels.failed + labels.rejected;
  return (
    `labels ${labels.sent} sent, ${labels.accepted} accepted, ${labels.unmatched} unmatched` +
    `${lost === 0 ? '' : `, ${lost} lost (dropped ${labels.dropped}, failed ${labels.failed}, rejected ${labels.rejected})`}; ` +
    describeRealised(labels) +
    describeLabelProblem(labels)
  );
}

function describeRequests(counts: SimulationCounts): string {
  const answered = counts.ok + counts.errors + counts.rejected + counts.failed;
  if (answered === 0) return `events ${counts.sent} sent, none answered yet`;
  const success = (counts.ok / answered) * 100;
  return `events ${counts.sent} sent, success ${formatPercent(success)} of ${answered} answered (errors ${counts.errors}, rejected ${counts.rejected}, lost ${counts.failed})`;
}

function describeLatency(samples: readonly number[]): string {
  if (samples.length === 0) return 'latency: no request answered in this interval';
  const values = quantile([...samples], [...PERCENTILES]);
  const parts = PERCENTILES.map((p, i) => `p${Math.round(p * 100)} ${formatMs(values[i] ?? Number.NaN)}`);
  return `latency ${parts.join(', ')} over ${samples.length} request${samples.length === 1 ? '' : 's'}`;
}

/** The drift verdict in words: none yet, none, or which features drifted. */
export function describeDrift(report: DriftReport | undefined): string {
  if (report === undefined) return 'no verdict yet (first evaluation pending)';
  if (report.status === 'error') return 'evaluation failed (see the exporter log)';
  if (report.status === 'insufficient_samples' || report.drifted === null)
    return `no verdict yet (window ${report.window_size} of the ${report.min_samples} events needed)`;
  const tested = `${report.features_drifted} of ${report.features_tested} features drifted`;
  if (!report.drifted) return `none (${tested}, window ${report.window_size})`;
  const drifted = report.features.filter((f) => f.drifted).map((f) => f.feature);
  const named = drifted.slice(0, NAMED_FEATURES).join(', ');
  const more = drifted.length > NAMED_FEATURES ? ` and ${drifted.length - NAMED_FEATURES} more` : '';
  return `FOUND: ${tested} (${named}${more})${report.dataset_drift === true ? ', dataset drift' : ''}`;
}

function formatPercent(value: number): string {
  return `${value >= 99.95 && value < 100 ? value.toFixed(2) : value.toFixed(1)}%`;
}

function formatMs(value: number): string {
  return value < 10 ? `${value.toFixed(2)} ms` : value < 100 ? `${value.toFixed(1)} ms` : `${value.toFixed(0)} ms`;
}
