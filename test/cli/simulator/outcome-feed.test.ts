import type { PlannedOutcome } from '../../../cli/src/simulator/business-model';
import { OutcomeFeed } from '../../../cli/src/simulator/outcome-feed';
import { OutcomeQueue } from '../../../cli/src/simulator/outcome-queue';
import { OutcomeSender } from '../../../cli/src/simulator/outcome-sender';
import { UnauthorizedError } from '../../../cli/src/simulator/post-json';
import { describeOutcomes } from '../../../cli/src/simulator/simulation-report';
import { CLOCK_START_MS, FakeClock } from '../../support/fake-clock';
import {
  startRecordingServer,
  type Answer,
  type RecordedRequest,
  type RecordingServer,
} from '../../support/recording-server';

const START_MS = CLOCK_START_MS;
const DELAY_MS = 10_000;

interface OutcomeEvent {
  prediction_id: string;
  event: string;
  value?: number;
  timestamp: string;
}

function eventsOf(request: RecordedRequest): OutcomeEvent[] {
  return (request.body as { events: OutcomeEvent[] }).events;
}

/** Answers like the outcome route: accepted, except ids starting with `u` (unmatched) or a (prediction, event) seen before (duplicates). */
function outcomeRoute(seen: Set<string>): (request: RecordedRequest) => Answer {
  return (request) => {
    let accepted = 0;
    let duplicates = 0;
    let unmatched = 0;
    for (const e of eventsOf(request)) {
      const key = `${e.prediction_id}/${e.event}`;
      if (e.prediction_id.startsWith('u')) unmatched++;
      else if (seen.has(key)) duplicates++;
      else {
        seen.add(key);
        accepted++;
      }
    }
    return { status: 200, body: { accepted, duplicates, unmatched, rejected: [] } };
  };
}

let server: RecordingServer;
let answer: (request: RecordedRequest) => Answer = outcomeRoute(new Set());

beforeAll(async () => {
  server = await startRecordingServer((request) => answer(request));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  answer = outcomeRoute(new Set());
});

function feed(clock: FakeClock, options: { token?: string; batchSize?: number; capacity?: number } = {}): OutcomeFeed {
  return new OutcomeFeed(
    new OutcomeQueue(options.capacity ?? 10_000),
    new OutcomeSender(server.url, 5000, options.token),
    { delayMs: DELAY_MS, batchSize: options.batchSize ?? 50, maxWaitMs: 250, maxInFlight: 2, now: clock.now },
  );
}

const CHECKOUT = (lag: number, value = 25): PlannedOutcome => ({ event: 'checkout', value, lag });
const CHARGEBACK = (lag: number, value = 25): PlannedOutcome => ({ event: 'chargeback', value, lag });

describe('OutcomeFeed timing and batching', () => {
  test('each outcome goes out at its own share of the delay, stamped with that moment, never past the delay', async () => {
    const clock = new FakeClock();
    const outcomes = feed(clock, { batchSize: 1 });
    outcomes.offer('p1', 'v1', [CHECKOUT(0.25, 10), CHARGEBACK(1, 10)]);
    outcomes.offer('p2', 'v2', [CHECKOUT(0.5, 99.5)]);
    const sentAt: Record<string, number> = {};
    for (let ms = 0; ms <= DELAY_MS + 1000; ms += 50) {
      clock.ms = START_MS + ms;
      outcomes.pump();
      await outcomes.settled();
      for (const e of server.requests.flatMap(eventsOf)) sentAt[`${e.prediction_id}/${e.event}`] ??= ms;
    }
    expect(sentAt).toEqual({ 'p1/checkout': 2500, 'p2/checkout': 5000, 'p1/chargeback': 10_000 });
    const events = server.requests.flatMap(eventsOf);
    expect(events).toEqual([
      { prediction_id: 'p1', event: 'checkout', value: 10, timestamp: new Date(START_MS + 2500).toISOString() },
      { prediction_id: 'p2', event: 'checkout', value: 99.5, timestamp: new Date(START_MS + 5000).toISOString() },
      { prediction_id: 'p1', event: 'chargeback', value: 10, timestamp: new Date(START_MS + 10_000).toISOString() },
    ]);
    for (const r of server.requests) expect([r.method, r.path]).toEqual(['POST', '/v1/events/outcomes']);
  });

  test('due outcomes go in batches of at most the batch size; an event without a value is sent without one', async () => {
    const clock = new FakeClock();
    const outcomes = feed(clock);
    for (let i = 0; i < 120; i++) outcomes.offer(`p${i}`, 'v1', [{ event: 'click', lag: 1 }]);
    clock.ms += DELAY_MS;
    outcomes.pump();
    await outcomes.settled();
    outcomes.pump();
    await outcomes.settled();
    clock.ms += 250;
    outcomes.pump();
    await outcomes.settled();
    expect(server.requests.map((r) => eventsOf(r).length)).toEqual([50, 50, 20]);
    expect(eventsOf(server.requests[0] as RecordedRequest)[0]).toEqual({
      prediction_id: 'p0',
      event: 'click',
      timestamp: new Date(START_MS + DELAY_MS).toISOString(),
    });
  });

  test('finish sends what is not due yet at once, stamped with the moment it is sent', async () => {
    const clock = new FakeClock();
    const outcomes = feed(clock);
    outcomes.offer('p1', 'v1', [CHECKOUT(0.5)]);
    clock.ms += 1000;
    await outcomes.finish();
    expect(server.requests.flatMap(eventsOf).map((e) => e.timestamp)).toEqual([
      new Date(START_MS + 1000).toISOString(),
    ]);
    expect(outcomes.counts()).toMatchObject({ sent: 1, accepted: 1, pending: 0, unsent: 0 });
  });
});

describe('OutcomeFeed answers', () => {
  test('adds up accepted, duplicates and unmatched as the exporter answers them', async () => {
    const clock = new FakeClock();
    const outcomes = feed(clock);
    outcomes.offer('p1', 'v1', [CHECKOUT(1)]);
    outcomes.offer('p1', 'v1', [CHECKOUT(1)]);
    outcomes.offer('u1', 'v1', [CHECKOUT(1)]);
    await outcomes.finish();
    expect(outcomes.counts()).toMatchObject({ sent: 3, accepted: 1, duplicates: 1, unmatched: 1, failed: 0 });
  });

  test('a 503 (join store down) counts the batch as failed with the reason, and finish stops trying', async () => {
    answer = () => ({
      status: 503,
      body: { error: { code: 'store_unavailable', message: 'the join store did not answer' } },
    });
    const clock = new FakeClock();
    const outcomes = feed(clock, { batchSize: 10 });
    for (let i = 0; i < 100; i++) outcomes.offer(`p${i}`, 'v1', [CHECKOUT(1)]);
    await outcomes.finish();
    const counts = outcomes.counts();
    expect(counts.failed).toBeGreaterThan(0);
    expect(counts.failed + counts.unsent).toBe(100);
    // Two batches were in flight when the first said the exporter is gone; none after.
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(counts.lastProblem).toBe('HTTP 503 store_unavailable: the join store did not answer');
    expect(describeOutcomes(counts)).toContain(
      '(last problem: HTTP 503 store_unavailable: the join store did not answer)',
    );
  });

  test('a refused batch (400 listing the undeclared event) counts its outcomes as rejected, naming the first refusal', async () => {
    answer = (request) => ({
      status: 400,
      body: {
        accepted: 0,
        duplicates: 0,
        unmatched: 0,
        rejected: eventsOf(request).map((_, index) => ({
          index,
          reason: 'unknown_event',
          field: `events[${index}].event`,
          message: `events[${index}].event: "refund" is not declared for model fraud`,
        })),
      },
    });
    const clock = new FakeClock();
    const outcomes = feed(clock);
    outcomes.offer('p1', 'v1', [{ event: 'refund', value: 3, lag: 1 }]);
    outcomes.offer('p2', 'v1', [{ event: 'refund', value: 3, lag: 1 }]);
    await outcomes.finish();
    expect(outcomes.counts()).toMatchObject({
      rejected: 2,
      failed: 0,
      lastProblem: '2 outcomes rejected: events[0].event: "refund" is not declared for model fraud',
    });
  });

  test('an exporter without the outcome route says so', async () => {
    answer = () => ({ status: 404, body: { error: { code: 'not_found', message: 'no route' } } });
    const clock = new FakeClock();
    const outcomes = feed(clock);
    outcomes.offer('p1', 'v1', [CHECKOUT(1)]);
    await outcomes.finish();
    expect(outcomes.counts().lastProblem).toBe(
      `${server.url}/v1/events/outcomes answered HTTP 404: this exporter takes no outcomes (too old?)`,
    );
  });

  test('sends the write token, and a refused token stops the feed with UnauthorizedError', async () => {
    const clock = new FakeClock();
    const outcomes = feed(clock, { token: 'secret' });
    outcomes.offer('p1', 'v1', [CHECKOUT(1)]);
    await outcomes.finish();
    expect(server.requests[0]?.headers.authorization).toBe('Bearer secret');
    answer = () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'bad token' } } });
    const refused = feed(clock, { token: 'wrong' });
    refused.offer('p1', 'v1', [CHECKOUT(1)]);
    await refused.finish();
    expect(refused.stopError).toBeInstanceOf(UnauthorizedError);
  });

  test('outcomes beyond the queue capacity are dropped and counted, never kept', () => {
    const clock = new FakeClock();
    const outcomes = feed(clock, { capacity: 3 });
    outcomes.offer('p1', 'v1', [CHECKOUT(0.2), CHARGEBACK(0.9)]);
    outcomes.offer('p2', 'v1', [CHECKOUT(0.2), CHARGEBACK(0.9)]);
    expect(outcomes.counts()).toMatchObject({ pending: 3, dropped: 1 });
  });
});

describe('OutcomeFeed realised figures', () => {
  test('counts the tracked predictions and the outcomes planned per version, with their values', () => {
    const clock = new FakeClock();
    const outcomes = feed(clock);
    outcomes.offer('p1', 'v1', [CHECKOUT(0.2, 10), CHARGEBACK(0.9, 10)]);
    outcomes.offer('p2', 'v1', []);
    outcomes.offer('p3', 'v2', [CHECKOUT(0.2, 5.25)]);
    outcomes.offer('p4', undefined, []);
    expect(outcomes.counts().realised).toEqual([
      {
        version: 'v1',
        predictions: 2,
        events: [
          { event: 'chargeback', count: 1, value: 10 },
          { event: 'checkout', count: 1, value: 10 },
        ],
      },
      { version: 'v2', predictions: 1, events: [{ event: 'checkout', count: 1, value: 5.25 }] },
      { version: 'unknown', predictions: 1, events: [] },
    ]);
    expect(describeOutcomes(outcomes.counts())).toBe(
      'outcomes sent 0 (accepted 0, duplicates 0, unmatched 0, rejected 0, failed 0), dropped 0 (queue full), unsent 0, waiting 3; ' +
        'realised per prediction: v1 of 2: chargeback 0.5 (value 5), checkout 0.5 (value 5); v2 of 1: checkout 1 (value 5.25); unknown of 1: none',
    );
  });
});
