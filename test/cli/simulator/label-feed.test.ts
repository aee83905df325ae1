import { LabelFeed, type LabelFeedOptions } from '../../../cli/src/simulator/label-feed';
import { LabelQueue } from '../../../cli/src/simulator/label-queue';
import { LabelSender } from '../../../cli/src/simulator/label-sender';
import { UnauthorizedError } from '../../../cli/src/simulator/post-json';
import { CLOCK_START_MS, FakeClock } from '../../support/fake-clock';
import {
  startRecordingServer,
  type Answer,
  type RecordedRequest,
  type RecordingServer,
} from '../../support/recording-server';

const START_MS = CLOCK_START_MS;
const DELAY_MS = 30_000;

interface LabelEvent {
  prediction_id: string;
  label: string | number;
  timestamp: string;
}

function eventsOf(request: RecordedRequest): LabelEvent[] {
  return (request.body as { events: LabelEvent[] }).events;
}

/** Answers like the label route: every label accepted, except ids starting with `u` (unmatched) or `d` (duplicates). */
function labelRoute(request: RecordedRequest): Answer {
  const events = eventsOf(request);
  const unmatched = events.filter((e) => e.prediction_id.startsWith('u')).length;
  const duplicates = events.filter((e) => e.prediction_id.startsWith('d')).length;
  return {
    status: 200,
    body: { accepted: events.length - unmatched - duplicates, duplicates, unmatched, rejected: 0 },
  };
}

let server: RecordingServer;
let answer: (request: RecordedRequest) => Answer = labelRoute;

beforeAll(async () => {
  server = await startRecordingServer((request) => answer(request));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  answer = labelRoute;
});

function feed(
  clock: FakeClock,
  options: Partial<LabelFeedOptions> & { capacity?: number; token?: string } = {},
): LabelFeed {
  return new LabelFeed(new LabelQueue(options.capacity ?? 1000), new LabelSender(server.url, 5000, options.token), {
    delayMs: DELAY_MS,
    batchSize: 50,
    maxWaitMs: 250,
    maxInFlight: 2,
    now: clock.now,
    ...options,
  });
}

function offer(labels: LabelFeed, count: number, prefix = 'p', phase = 'normal'): void {
  for (let i = 0; i < count; i++)
    labels.offer(`${prefix}${i}`, 'legit', { truth: i % 4 === 0 ? 'fraud' : 'legit', phase });
}

describe('LabelFeed timing and batching', () => {
  test('sends nothing before the delay, then the due labels in one batch once they have waited their short while', async () => {
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 20);
    labels.pump();
    clock.ms += DELAY_MS - 1;
    labels.pump();
    await labels.settled();
    expect(server.requests).toHaveLength(0);

    // Due now, but a batch of 20 out of 50 waits up to 250 ms for more.
    clock.ms += 1;
    labels.pump();
    clock.ms += 249;
    labels.pump();
    await labels.settled();
    expect(server.requests).toHaveLength(0);

    clock.ms += 1;
    labels.pump();
    await labels.settled();
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0] as RecordedRequest;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/events/labels');
    expect(eventsOf(request).map((e) => e.prediction_id)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`));
    // Each label is stamped with the moment it became known: the prediction's time plus the delay.
    expect(new Set(eventsOf(request).map((e) => e.timestamp))).toEqual(
      new Set([new Date(START_MS + DELAY_MS).toISOString()]),
    );
    expect(eventsOf(request)[0]).toEqual({
      prediction_id: 'p0',
      label: 'fraud',
      timestamp: new Date(START_MS + DELAY_MS).toISOString(),
    });
    expect(labels.counts()).toMatchObject({ sent: 20, accepted: 20, pending: 0 });
  });

  test('a full batch goes at once; more due labels than a batch go in several batches of at most the batch size', async () => {
    const clock = new FakeClock();
    const labels = feed(clock, { maxInFlight: 10 });
    offer(labels, 120);
    clock.ms += DELAY_MS;
    labels.pump();
    await labels.settled();
    // Two full batches at once; the remaining 20 wait for more or for their short while.
    expect(server.requests.map((r) => eventsOf(r).length)).toEqual([50, 50]);
    clock.ms += 250;
    labels.pump();
    await labels.settled();
    expect(server.requests.map((r) => eventsOf(r).length)).toEqual([50, 50, 20]);
    const ids = server.requests.flatMap((r) => eventsOf(r).map((e) => e.prediction_id));
    expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => `p${i}`));
  });

  test('no more label requests are in flight than allowed; the rest wait in the queue', async () => {
    const clock = new FakeClock();
    const labels = feed(clock, { maxInFlight: 2 });
    offer(labels, 500);
    clock.ms += DELAY_MS;
    labels.pump();
    expect(labels.counts()).toMatchObject({ sent: 100, pending: 400 });
    await labels.settled();
    labels.pump();
    await labels.settled();
    expect(labels.counts()).toMatchObject({ sent: 200, pending: 300 });
  });

  test('the exporter’s answers are added up: accepted, duplicates and unmatched', async () => {
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 10, 'p');
    offer(labels, 3, 'u');
    offer(labels, 2, 'd');
    await labels.finish();
    expect(labels.counts()).toMatchObject({
      sent: 15,
      accepted: 10,
      unmatched: 3,
      duplicates: 2,
      rejected: 0,
      failed: 0,
    });
  });

  test('finish sends the labels not yet due at once, stamped with the time they are sent', async () => {
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 75);
    clock.ms += 1000;
    await labels.finish();
    expect(server.requests.map((r) => eventsOf(r).length)).toEqual([50, 25]);
    const stamps = new Set(server.requests.flatMap((r) => eventsOf(r).map((e) => e.timestamp)));
    expect(stamps).toEqual(new Set([new Date(START_MS + 1000).toISOString()]));
    expect(labels.counts()).toMatchObject({ sent: 75, accepted: 75, pending: 0, unsent: 0 });
  });

  test('abandon counts the labels still waiting as unsent and sends none of them', async () => {
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 30);
    labels.abandon();
    await labels.finish();
    expect(server.requests).toHaveLength(0);
    expect(labels.counts()).toMatchObject({ sent: 0, unsent: 30, pending: 0 });
  });
});

describe('LabelFeed memory bound', () => {
  test('regression: labels beyond the queue capacity are dropped and counted, never kept', async () => {
    const clock = new FakeClock();
    const labels = feed(clock, { capacity: 100 });
    offer(labels, 10_000);
    expect(labels.counts()).toMatchObject({ pending: 100, dropped: 9900 });
    await labels.finish();
    expect(labels.counts()).toMatchObject({ sent: 100, accepted: 100, dropped: 9900, pending: 0 });
  });
});

describe('LabelFeed against a troubled exporter', () => {
  test('sends the write token with every batch', async () => {
    const clock = new FakeClock();
    const labels = feed(clock, { token: 'w-token' });
    offer(labels, 3);
    await labels.finish();
    expect(server.requests[0]?.headers.authorization).toBe('Bearer w-token');
  });

  test('a refused token stops the feed with UnauthorizedError', async () => {
    answer = () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no' } } });
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 3);
    await labels.finish();
    expect(labels.stopError).toBeInstanceOf(UnauthorizedError);
  });

  test('a 503 (join store down) counts the batch as failed with the reason; the realised quality still judges it', async () => {
    answer = () => ({ status: 503, body: { error: { code: 'join_store_unavailable', message: 'redis down' } } });
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 5);
    await labels.finish();
    expect(labels.counts()).toMatchObject({ sent: 5, failed: 5, accepted: 0 });
    expect(labels.counts().lastProblem).toBe('HTTP 503 join_store_unavailable: redis down');
    expect(labels.counts().quality.labels).toBe(5);
  });

  test('at the end of a run an exporter that answers no batch is not tried label batch by label batch: the rest are unsent', async () => {
    answer = () => ({ status: 503, body: { error: { code: 'join_store_unavailable', message: 'redis down' } } });
    const clock = new FakeClock();
    const labels = feed(clock, { maxInFlight: 1 });
    offer(labels, 1000);
    await labels.finish();
    expect(server.requests).toHaveLength(1);
    expect(labels.counts()).toMatchObject({ sent: 50, failed: 50, unsent: 950, pending: 0 });
  });

  test('an exporter without the label route says so', async () => {
    answer = () => ({ status: 404, body: { error: { code: 'not_found', message: 'no route' } } });
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 2);
    await labels.finish();
    expect(labels.counts().failed).toBe(2);
    expect(labels.counts().lastProblem).toMatch(
      /\/v1\/events\/labels answered HTTP 404: this exporter takes no labels/,
    );
  });

  test('a partly refused batch (400 with counts) is counted label by label, naming the first refusal', async () => {
    answer = (request) => ({
      status: 400,
      body: {
        accepted: eventsOf(request).length - 1,
        duplicates: 0,
        unmatched: 0,
        rejected: [{ index: 0, message: 'events[0].label: expected one of legit, fraud' }],
      },
    });
    const clock = new FakeClock();
    const labels = feed(clock);
    offer(labels, 4);
    await labels.finish();
    expect(labels.counts()).toMatchObject({ sent: 4, accepted: 3, rejected: 1, failed: 0 });
    expect(labels.counts().lastProblem).toBe('1 label rejected: events[0].label: expected one of legit, fraud');
  });
});

describe('LabelFeed realised quality', () => {
  test('measures accuracy over the labels sent, overall and per phase', async () => {
    const clock = new FakeClock();
    const labels = feed(clock);
    // Predicted legit every time; the truth is fraud for every fourth label.
    offer(labels, 8, 'a', 'normal');
    offer(labels, 4, 'b', 'concept');
    await labels.finish();
    const counts = labels.counts();
    expect(counts.quality).toEqual({ labels: 12, accuracy: 9 / 12 });
    expect(counts.qualityByPhase).toEqual([
      { phase: 'normal', labels: 8, accuracy: 0.75 },
      { phase: 'concept', labels: 4, accuracy: 0.75 },
    ]);
  });
});
