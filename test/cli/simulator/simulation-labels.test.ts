import { randomUUID } from 'node:crypto';
import { runSimulation } from '../../../cli/src/simulator/run-simulation';
import type { SimulationMode, SimulationSummary } from '../../../cli/src/simulator/simulation-options';
import { describeLabelSummary } from '../../../cli/src/simulator/simulation-report';
import { writeDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { objectAt } from '../../support/document';
import {
  startRecordingServer,
  type Answer,
  type RecordedRequest,
  type RecordingServer,
} from '../../support/recording-server';

interface LabelEvent {
  prediction_id: string;
  label: string | number;
  timestamp: string;
}

interface IngestedEvent {
  prediction_id: string;
  status: string;
  prediction?: string | number;
}

/**
 * Stands in for an exporter with the label route: predictions get a fresh id, ingested events
 * are all accepted, and labels for ids it recorded are accepted (the rest unmatched).
 */
function fakeExporter(): { answer: (request: RecordedRequest) => Answer; predicted: Map<string, string | number> } {
  const predicted = new Map<string, string | number>();
  const answer = (request: RecordedRequest): Answer => {
    if (request.path === '/v1/models/spend/predict') {
      const id = randomUUID();
      predicted.set(id, 'value');
      return { status: 200, body: { prediction_id: id, model: 'spend', version: 'v1', prediction: 250 } };
    }
    if (request.path.endsWith('/predict')) {
      const id = randomUUID();
      predicted.set(id, 'legit');
      return {
        status: 200,
        body: { prediction_id: id, model: 'fraud', version: 'v1', class: 'legit', confidence: 0.9 },
      };
    }
    if (request.path === '/v1/events/predictions') {
      for (const event of (request.body as { events: IngestedEvent[] }).events)
        if (event.status === 'success') predicted.set(event.prediction_id, defined(event.prediction, 'prediction'));
      return { status: 200, body: { accepted: (request.body as { events: unknown[] }).events.length, rejected: [] } };
    }
    const events = (request.body as { events: LabelEvent[] }).events;
    const matched = events.filter((e) => predicted.has(e.prediction_id)).length;
    return { status: 200, body: { accepted: matched, duplicates: 0, unmatched: events.length - matched, rejected: 0 } };
  };
  return { answer, predicted };
}

interface LabelledRun {
  readonly summary: SimulationSummary;
  readonly server: RecordingServer;
  readonly predicted: Map<string, string | number>;
  readonly labels: LabelEvent[];
  readonly labelRequests: RecordedRequest[];
}

const RATE = 150;
const DURATION_SECONDS = 1.5;

async function run(
  mode: SimulationMode,
  withQuality: boolean,
  scenario = 'normal',
  model?: string,
): Promise<LabelledRun> {
  // The fraud model (the one simulated unless `model` says otherwise) with or without labels; the demo spec gives it a quality section.
  const { file } = writeDemoSpec((s) => {
    const fraud = objectAt(s, 'models', 0);
    if (withQuality) fraud['quality'] = { accuracy_floor: 0.9 };
    else delete fraud['quality'];
  });
  const exporter = fakeExporter();
  const server = await startRecordingServer(exporter.answer);
  try {
    const summary = await runSimulation({
      target: server.url,
      scenario,
      mode,
      rate: RATE,
      durationSeconds: DURATION_SECONDS,
      config: file,
      seed: 4,
      token: 'write-token',
      labelDelaySeconds: 0.5,
      labelCoverage: 0.5,
      ...(model === undefined ? {} : { model }),
    });
    const labelRequests = server.requests.filter((r) => r.path === '/v1/events/labels');
    const labels = labelRequests.flatMap((r) => (r.body as { events: LabelEvent[] }).events);
    return { summary, server, predicted: exporter.predicted, labels, labelRequests };
  } finally {
    await server.close();
  }
}

describe.each<SimulationMode>(['predict', 'ingest'])('labels in %s mode', (mode) => {
  let labelled: LabelledRun;
  beforeAll(async () => {
    labelled = await run(mode, true);
  }, 30_000);

  test('every label names a prediction the exporter recorded, once, with one of the model’s classes', () => {
    const ids = labelled.labels.map((l) => l.prediction_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => labelled.predicted.has(id))).toBe(true);
    expect(new Set(labelled.labels.map((l) => l.label))).toEqual(new Set(['legit', 'fraud']));
  });

  test('about the coverage share of the predictions gets a label', () => {
    const share = labelled.labels.length / labelled.predicted.size;
    expect(labelled.predicted.size).toBe(labelled.summary.ok);
    expect(labelled.predicted.size).toBeGreaterThan(100);
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });

  test('labels go in batches with the write token, and the summary adds up what the exporter answered', () => {
    expect(labelled.labelRequests.length).toBeGreaterThan(1);
    expect(labelled.labelRequests.length).toBeLessThan(labelled.labels.length);
    for (const request of labelled.labelRequests) expect(request.headers.authorization).toBe('Bearer write-token');
    const labels = defined(labelled.summary.labels, 'labels in the summary');
    expect(labels).toMatchObject({
      sent: labelled.labels.length,
      accepted: labelled.labels.length,
      unmatched: 0,
      dropped: 0,
      unsent: 0,
      pending: 0,
    });
    expect(labels.quality.labels).toBe(labelled.labels.length);
    expect(describeLabelSummary(labelled.summary)).toMatch(
      new RegExp(
        `^simulate labels sent ${labelled.labels.length} \\(accepted ${labelled.labels.length}, duplicates 0, unmatched 0, rejected 0, failed 0\\), dropped 0 \\(queue full\\), unsent 0, waiting 0; realised accuracy 0\\.\\d{3} over ${labelled.labels.length} labels$`,
      ),
    );
  });

  test('the realised accuracy is the share of labels equal to the prediction the model made', () => {
    const correct = labelled.labels.filter((l) => l.label === labelled.predicted.get(l.prediction_id)).length;
    expect(defined(labelled.summary.labels, 'labels').quality.accuracy).toBeCloseTo(
      correct / labelled.labels.length,
      10,
    );
  });
});

test('a model without a quality section gets no labels, and the summary says nothing about them', async () => {
  const unlabelled = await run('ingest', false);
  expect(unlabelled.labelRequests).toHaveLength(0);
  expect(unlabelled.summary.labels).toBeUndefined();
  expect(describeLabelSummary(unlabelled.summary)).toBeUndefined();
}, 30_000);

test.each<SimulationMode>(['predict', 'ingest'])(
  'the regression model (spend) gets numeric labels and its realised MAE and RMSE in %s mode',
  async (mode) => {
    const spend = await run(mode, true, 'normal', 'spend');
    expect(spend.labels.length).toBeGreaterThan(50);
    expect(spend.labels.every((l) => typeof l.label === 'number' && l.label >= 0)).toBe(true);
    expect(spend.labels.every((l) => spend.predicted.has(l.prediction_id))).toBe(true);
    const quality = defined(spend.summary.labels, 'labels').quality;
    expect(quality.accuracy).toBeUndefined();
    expect(defined(quality.mae, 'mae')).toBeGreaterThan(0);
    expect(defined(quality.rmse, 'rmse')).toBeGreaterThanOrEqual(defined(quality.mae, 'mae'));
    expect(describeLabelSummary(spend.summary)).toMatch(
      /; realised MAE \d+(\.\d+)?, RMSE \d+(\.\d+)? over \d+ labels$/,
    );
  },
  30_000,
);
