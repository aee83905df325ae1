import { randomUUID } from 'node:crypto';
import { runSimulation } from '../../../cli/src/simulator/run-simulation';
import type { SimulationMode, SimulationSummary } from '../../../cli/src/simulator/simulation-options';
import { describeOutcomeSummary } from '../../../cli/src/simulator/simulation-report';
import { CANARY_CONVERSION_FACTOR, CANARY_SHARE } from '../../../cli/src/simulator/scenarios';
import { writeDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { objectAt } from '../../support/document';
import { startRecordingServer, type Answer, type RecordedRequest } from '../../support/recording-server';

interface OutcomeEvent {
  prediction_id: string;
  event: string;
  value?: number;
  timestamp: string;
}

interface IngestedEvent {
  prediction_id: string;
  version: string;
  status: string;
  prediction?: string | number;
}

/** A prediction the fake exporter recorded: its version and when it answered for it (Unix ms). */
interface Recorded {
  readonly version: string;
  readonly predicted: string | number | undefined;
  readonly answeredAtMs: number;
}

/** Stands in for an exporter with the outcome route: records predictions (both modes) and accepts outcomes of known ids. */
function fakeExporter(): { answer: (request: RecordedRequest) => Answer; recorded: Map<string, Recorded> } {
  const recorded = new Map<string, Recorded>();
  const answer = (request: RecordedRequest): Answer => {
    if (request.path.endsWith('/predict')) {
      const id = randomUUID();
      const version = (request.body as { version?: string }).version ?? 'v1';
      recorded.set(id, { version, predicted: 'legit', answeredAtMs: Date.now() });
      return { status: 200, body: { prediction_id: id, model: 'fraud', version, class: 'legit', confidence: 0.9 } };
    }
    if (request.path === '/v1/events/predictions') {
      const events = (request.body as { events: IngestedEvent[] }).events;
      for (const e of events)
        if (e.status === 'success')
          recorded.set(e.prediction_id, { version: e.version, predicted: e.prediction, answeredAtMs: Date.now() });
      return { status: 200, body: { accepted: events.length, rejected: [] } };
    }
    const events = (request.body as { events: { prediction_id: string }[] }).events;
    const matched = events.filter((e) => recorded.has(e.prediction_id)).length;
    return {
      status: 200,
      body: { accepted: matched, duplicates: 0, unmatched: events.length - matched, rejected: [] },
    };
  };
  return { answer, recorded };
}

interface OutcomeRun {
  readonly summary: SimulationSummary;
  readonly recorded: Map<string, Recorded>;
  readonly outcomes: OutcomeEvent[];
  readonly outcomeRequests: RecordedRequest[];
}

const DELAY_SECONDS = 0.5;
/** The answer's trip back to the simulator, which dates the outcome delay from when it gets it. */
const ANSWER_TRIP_SLACK_MS = 500;

async function run(
  scenario: string,
  mode: SimulationMode,
  rate: number,
  edit?: (fraud: Record<string, unknown>) => void,
): Promise<OutcomeRun> {
  const { file } = writeDemoSpec((s) => edit?.(objectAt(s, 'models', 0)));
  const exporter = fakeExporter();
  const server = await startRecordingServer(exporter.answer);
  try {
    const summary = await runSimulation({
      target: server.url,
      scenario,
      mode,
      rate,
      durationSeconds: 2,
      config: file,
      seed: 7,
      token: 'write-token',
      outcomeDelaySeconds: DELAY_SECONDS,
    });
    const outcomeRequests = server.requests.filter((r) => r.path === '/v1/events/outcomes');
    const outcomes = outcomeRequests.flatMap((r) => (r.body as { events: OutcomeEvent[] }).events);
    return { summary, recorded: exporter.recorded, outcomes, outcomeRequests };
  } finally {
    await server.close();
  }
}

/** Checkouts per recorded prediction of `version`, and how many predictions that is. */
function checkoutRate(run: OutcomeRun, version: string): { rate: number; n: number } {
  const ids = new Set([...run.recorded].filter(([, r]) => r.version === version).map(([id]) => id));
  const checkouts = run.outcomes.filter((o) => o.event === 'checkout' && ids.has(o.prediction_id)).length;
  return { rate: checkouts / ids.size, n: ids.size };
}

/** Four standard errors of the difference of two independent shares. */
function band(a: { rate: number; n: number }, b: { rate: number; n: number }): number {
  return 4 * Math.sqrt((a.rate * (1 - a.rate)) / a.n + (b.rate * (1 - b.rate)) / b.n);
}

describe('the canary scenario in ingest mode (as the stack runs it)', () => {
  let canary: OutcomeRun;
  beforeAll(async () => {
    canary = await run('canary', 'ingest', 2000);
  }, 30_000);

  test('splits the traffic between the baseline v1 and the canary v2 by the scenario’s share, whatever the spec’s weights', () => {
    const versions = [...canary.recorded.values()].map((r) => r.version);
    const v2 = versions.filter((v) => v === 'v2').length;
    expect(versions.length).toBeGreaterThan(3000);
    const share = v2 / versions.length;
    expect(Math.abs(share - CANARY_SHARE)).toBeLessThanOrEqual(
      4 * Math.sqrt((CANARY_SHARE * (1 - CANARY_SHARE)) / versions.length),
    );
  });

  test('v2 checks out by the scenario’s factor less than v1, within four standard errors', () => {
    const v1 = checkoutRate(canary, 'v1');
    const v2 = checkoutRate(canary, 'v2');
    const scaled = { rate: CANARY_CONVERSION_FACTOR * v1.rate, n: v1.n };
    expect(Math.abs(v2.rate - scaled.rate)).toBeLessThanOrEqual(
      4 *
        Math.sqrt((v2.rate * (1 - v2.rate)) / v2.n + (CANARY_CONVERSION_FACTOR ** 2 * v1.rate * (1 - v1.rate)) / v1.n),
    );
    expect(v1.rate - v2.rate).toBeGreaterThan(band(v1, v2));
  });

  test('every outcome names a recorded prediction, once per event, within the outcome delay of its answer', () => {
    const keys = canary.outcomes.map((o) => `${o.prediction_id}/${o.event}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const outcome of canary.outcomes) {
      const recorded = defined(canary.recorded.get(outcome.prediction_id), `prediction ${outcome.prediction_id}`);
      const at = Date.parse(outcome.timestamp);
      expect(at).toBeGreaterThanOrEqual(recorded.answeredAtMs);
      expect(at).toBeLessThanOrEqual(recorded.answeredAtMs + DELAY_SECONDS * 1000 + ANSWER_TRIP_SLACK_MS);
      expect(['checkout', 'chargeback']).toContain(outcome.event);
      expect(outcome.value).toBeGreaterThan(0);
    }
  });

  test('a blocked payment (predicted fraud) has no outcome', () => {
    const blocked = new Set([...canary.recorded].filter(([, r]) => r.predicted === 'fraud').map(([id]) => id));
    expect(canary.outcomes.filter((o) => blocked.has(o.prediction_id))).toEqual([]);
  });

  test('outcomes go in batches with the write token, and the summary says what was sent and the rates per version', () => {
    expect(canary.outcomeRequests.length).toBeGreaterThan(1);
    for (const request of canary.outcomeRequests) expect(request.headers.authorization).toBe('Bearer write-token');
    const summary = defined(canary.summary.outcomes, 'outcomes in the summary');
    expect(summary).toMatchObject({ sent: canary.outcomes.length, accepted: canary.outcomes.length, pending: 0 });
    const realised = Object.fromEntries(summary.realised.map((r) => [r.version, r]));
    for (const version of ['v1', 'v2']) {
      const { rate, n } = checkoutRate(canary, version);
      const figures = defined(realised[version], version);
      expect(figures.predictions).toBe(n);
      expect(figures.events.find((e) => e.event === 'checkout')?.count).toBe(Math.round(rate * n));
    }
    expect(describeOutcomeSummary(canary.summary)).toMatch(
      new RegExp(
        `^simulate outcomes sent ${canary.outcomes.length} \\(accepted ${canary.outcomes.length}, duplicates 0, unmatched 0, rejected 0, failed 0\\), dropped 0 \\(queue full\\), unsent 0, waiting 0; realised per prediction: v\\d of \\d+: chargeback [\\d.]+ \\(value [\\d.]+\\), checkout 0\\.\\d+ \\(value [\\d.]+\\); v\\d of \\d+: `,
      ),
    );
  });
});

test('in the normal scenario v1 and v2 convert alike (no canary alert when nothing is wrong)', async () => {
  const normal = await run('normal', 'ingest', 4000);
  const v1 = checkoutRate(normal, 'v1');
  const v2 = checkoutRate(normal, 'v2');
  expect(v2.n).toBeGreaterThan(500);
  expect(Math.abs(v1.rate - v2.rate)).toBeLessThanOrEqual(band(v1, v2));
}, 30_000);

test('in predict mode the canary scenario pins versions and the outcomes follow the version the exporter names', async () => {
  const predicted = await run('canary', 'predict', 300, (fraud) => (fraud['fault_injection'] = true));
  const v1 = checkoutRate(predicted, 'v1');
  const v2 = checkoutRate(predicted, 'v2');
  expect(v1.n + v2.n).toBeGreaterThan(300);
  expect(v1.rate).toBeGreaterThan(v2.rate);
  const realised = defined(predicted.summary.outcomes, 'outcomes')
    .realised.map((r) => r.version)
    .sort();
  expect(realised).toEqual(['v1', 'v2']);
}, 30_000);

test('a model without an outcomes section gets no outcomes, and the summary says nothing about them', async () => {
  const none = await run('normal', 'ingest', 200, (fraud) => delete fraud['outcomes']);
  expect(none.outcomeRequests).toHaveLength(0);
  expect(none.summary.outcomes).toBeUndefined();
  expect(describeOutcomeSummary(none.summary)).toBeUndefined();
}, 30_000);
