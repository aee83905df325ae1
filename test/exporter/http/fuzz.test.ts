/**
 * Property-based fuzzing of every endpoint (issue 12): generated hostile payloads — wrong
 * types, deep nesting, huge numbers, unicode and NUL, `__proto__`/`constructor`/`prototype`
 * keys, very long strings, duplicate keys, bad encodings — interleaved with valid events.
 * Invariants: no 5xx but the documented 503s, no crash, `Object.prototype` untouched, every
 * valid event counted exactly once and nothing else counted. FUZZ_RUNS scales the run
 * (at least 10,000 cases in all by default).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { buildTestExporter } from '../../support/test-exporter';
import { REJECTION_REASONS } from '../../../spec/src/conventions';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2_500);

const MERCHANTS = ['grocery', 'fuel', 'restaurant', 'electronics', 'travel', 'online_retail', 'entertainment'];
const METHODS = ['chip', 'contactless', 'online', 'manual_entry'];
const DEVICES = ['pos_terminal', 'mobile', 'desktop'];
const CLASSES = ['legit', 'fraud'];

/** Keys a hostile client uses to reach an object's prototype. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

// ---- generators -------------------------------------------------------------------------

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

const validFeatures = fc.record({
  amount: finite,
  avg_amount_30d: finite,
  transactions_24h: fc.integer({ min: 0, max: 200 }),
  account_age_days: fc.integer({ min: 0, max: 20_000 }),
  distance_from_home_km: fc.double({ min: 0, max: 20_000, noNaN: true }),
  hour_of_day: fc.integer({ min: 0, max: 23 }),
  credit_score: fc.oneof(fc.integer({ min: 300, max: 850 }), fc.constant(null)),
  merchant_category: fc.constantFrom(...MERCHANTS, 'a-category-nobody-declared'),
  payment_method: fc.constantFrom(...METHODS),
  device_type: fc.constantFrom(...DEVICES),
});

let nextId = 0;
/** A valid ingest event; its id is unique, so retries-are-counted-once never hides a miscount. */
const validEvent = fc
  .record({
    version: fc.constantFrom('v1', 'v2'),
    features: validFeatures,
    prediction: fc.constantFrom(...CLASSES),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    latency_ms: fc.double({ min: 0, max: 1000, noNaN: true }),
  })
  .map((e) => ({ model: 'fraud', prediction_id: `fuzz-${nextId++}`, ...e }));

/** Values of every JSON type, some of them hostile: huge numbers, NUL and unicode, long strings, deep nesting. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(1.7e308, -1.7e308, 2 ** 53 + 1, -0, 5e-324, 1e21),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ maxLength: 8 }).map((s) => `${s}\u0000${s}`),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 2_000 }).map((depth) => nest(depth)),
  fc.constantFrom(...PROTO_KEYS).map((key) => JSON.parse(`{"${key}": {"polluted": true}}`) as unknown),
);

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/**
 * A valid event spoilt so that it must be refused: a required field of the wrong type or
 * unknown, an unknown or prototype key added at the top or among the features, a field removed.
 */
const hostileEvent = fc
  .tuple(
    validEvent,
    fc.constantFrom('model', 'features', 'prediction', 'confidence', 'latency_ms', 'version'),
    fc.constantFrom('wrong-type', 'extra-key', 'proto-key', 'feature-proto-key', 'missing-feature', 'not-object'),
    hostileValue,
    fc.constantFrom(...PROTO_KEYS),
  )
  .map(([event, field, how, value, protoKey]): unknown => {
    const spoilt: Record<string, unknown> = { ...event };
    const features: Record<string, unknown> = { ...event.features };
    switch (how) {
      case 'wrong-type':
        // An object where a scalar is expected (and a string where features are) is wrong whatever it holds.
        spoilt[field] = field === 'features' ? 'not features' : { value };
        return spoilt;
      case 'extra-key':
        spoilt['unexpected_field'] = value;
        return spoilt;
      case 'proto-key':
        return JSON.parse(`{"${protoKey}": ${JSON.stringify(value)}, ${JSON.stringify(spoilt).slice(1)}`);
      case 'feature-proto-key':
        spoilt['features'] = JSON.parse(
          `{"${protoKey}": ${JSON.stringify(value)}, ${JSON.stringify(features).slice(1)}`,
        );
        return spoilt;
      case 'missing-feature':
        delete features['amount'];
        spoilt['features'] = features;
        return spoilt;
      default:
        return value === null || typeof value !== 'object' || Array.isArray(value) ? value : [value];
    }
  });

/** Body bytes that are not a valid request at all: broken JSON, bad UTF-8, duplicate keys, bare values. */
const hostileBody = fc.oneof(
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), // {"\xff\xfe":1}: invalid UTF-8
    Buffer.from('{"events": [ {"model": "fraud"} '), // cut short
    Buffer.from('{"events": [], "events": {}}'), // duplicate keys, the last one wrong
    Buffer.from('{"features": {"amount": 1, "amount": "x"}}'),
    Buffer.from('[1, 2, 3]'),
    Buffer.from('"just a string"'),
    Buffer.from('null'),
    Buffer.from(`{"events": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`),
    Buffer.from('\ufeff{"events": [NaN, Infinity, -Infinity]}'),
  ),
);

/** Header values a client may get wrong. */
const hostileHeaders = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json; charset=nope',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
    'content-encoding': fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'zstd', 'x-nonsense'),
  },
  { requiredKeys: ['content-type'] },
);

/** Path segments as a hostile client writes them: bad percent-encoding, traversal, unicode, NUL. */
const hostileSegment = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom(
    '%ZZ',
    '%',
    '%E0%A4%A',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '%C0%AF',
    'fraud%2Fdrift',
    'constructor',
    '__proto__',
  ),
);

// ---- harness ----------------------------------------------------------------------------

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

let server: Server;
let base: string;
let built: ReturnType<typeof buildTestExporter>;
/** Valid events (and served predictions) sent so far: what the prediction counters must show. */
let expected = 0;

beforeAll(async () => {
  built = buildTestExporter();
  server = createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await built.deps.predictionLog.close();
});

async function send(
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function counted(): number {
  const { predictions, layout } = built.deps.metrics;
  let total = 0;
  for (let i = 0; i < layout.modelVersionStatusLabels.length; i++) total += predictions.value(i);
  return total;
}

/** The invariants every answer keeps, whatever was sent. */
function checkAnswer(what: string, answer: Answer): void {
  if (answer.status >= 500) {
    // The only 5xx a client may see is the documented overload answer, which says when to retry.
    expect([what, answer.status, answer.headers.get('retry-after') !== null]).toEqual([what, 503, true]);
  }
  if (answer.status >= 400) {
    // Every refusal is the JSON error body, with a code.
    const body = parseJson(answer.body) as { error?: { code?: unknown } } | undefined;
    expect([what, answer.status, typeof body?.error?.code]).toEqual([what, answer.status, 'string']);
  }
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(counted()).toBe(expected);
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

// ---- properties -------------------------------------------------------------------------

describe('fuzzing every endpoint (issue 12)', () => {
  test('ingest: batches mixing valid and hostile events count every valid event exactly once and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(validEvent, hostileEvent), { maxLength: 20 }), async (events) => {
        const valid = events.filter((e) => typeof e === 'object' && e !== null && 'prediction_id' in e && isValid(e));
        const answer = await send('POST', '/v1/events/predictions', json({ events }), {
          'content-type': 'application/json',
        });
        // A batch is judged event by event (200, or 400 when none passed); a refusal of the
        // whole request (413 too large, 503 busy) counts nothing.
        const judged = answer.status === 200 || answer.status === 400;
        if (judged) expected += valid.length;
        checkAnswer('ingest', answer);
        expect([answer.status, judged || answer.status === 413 || answer.status === 503]).toEqual([
          answer.status,
          true,
        ]);
        if (judged) expect((parseJson(answer.body) as { accepted?: number }).accepted ?? 0).toBe(valid.length);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  test('predict: hostile feature rows are refused with a 4xx and counted nowhere; valid rows are served once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          validFeatures.map((features) => ({ valid: true, body: { features } })),
          hostileEvent.map((event) => {
            const features = featuresOf(event);
            return { valid: isValidFeatures(features), body: { features } };
          }),
          hostileValue.map((value) => ({ valid: false, body: { features: value } })),
        ),
        fc.constantFrom('/predict', '/v1/models/fraud/predict'),
        async ({ valid, body }, path) => {
          const answer = await send('POST', path, json(body), { 'content-type': 'application/json' });
          if (answer.status === 200) expected += 1;
          checkAnswer('predict', answer);
          expect([valid, answer.status === 200]).toEqual([valid, valid]);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  test('raw bodies and headers: broken JSON, bad encodings, wrong media types answer 4xx (or a documented 503), never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileBody,
        hostileHeaders,
        fc.constantFrom('/predict', '/v1/models/fraud/predict', '/v1/events/predictions'),
        async (body, headers, path) => {
          const answer = await send('POST', path, body, headers);
          checkAnswer(`${path} ${JSON.stringify(headers)}`, answer);
          expect(answer.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  test('paths and queries: hostile segments and read-only GETs never answer 5xx and never count a rejection', async () => {
    // Every reason's count, through the exporter's own accessor rather than a metric name spelt here.
    const rejected = () => REJECTION_REASONS.map((reason) => built.deps.metrics.rejectedCount(reason));
    await fc.assert(
      fc.asyncProperty(
        hostileSegment,
        fc.string({ maxLength: 40 }),
        fc.constantFrom('drift', 'metrics', 'healthz', 'readyz', 'other'),
        async (segment, query, kind) => {
          const path = kind === 'drift' ? `/v1/models/${segment}/drift` : kind === 'other' ? `/${segment}` : `/${kind}`;
          const before = rejected();
          const answer = await send('GET', `${path}?${encodeURIComponent(query)}=${segment}`);
          checkAnswer(`GET ${path}`, answer);
          expect(rejected()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});

/** The features of a generated event, whatever shape the spoiling left it in. */
function featuresOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null && !Array.isArray(event)
    ? (event as Record<string, unknown>)['features']
    : event;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const FEATURE_KEYS = Object.keys(fc.sample(validFeatures, 1)[0] ?? {})
  .sort()
  .join(',');

/** True for a feature row the generator left valid: an object with exactly the model's features as its own keys. */
function isValidFeatures(features: unknown): boolean {
  return (
    typeof features === 'object' &&
    features !== null &&
    !Array.isArray(features) &&
    Object.keys(features).sort().join(',') === FEATURE_KEYS
  );
}

/** True for an event the generator left valid (the spoilt ones differ from their source). */
function isValid(event: object): boolean {
  const e = event as Record<string, unknown>;
  const keys = Object.keys(e).sort().join(',');
  if (keys !== 'confidence,features,latency_ms,model,prediction,prediction_id,version') return false;
  return (
    isValidFeatures(e['features']) &&
    e['model'] === 'fraud' &&
    typeof e['confidence'] === 'number' &&
    typeof e['latency_ms'] === 'number' &&
    typeof e['prediction'] === 'string' &&
    typeof e['version'] === 'string'
  );
}
