import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { objectAt } from '../../support/document';
import { demoFeatures } from '../../support/demo-spec';
import type { ErrorBody, IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';

const event = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'fraud',
  version: 'v1',
  prediction: 'legit',
  confidence: 0.9,
  features: demoFeatures(),
  ...overrides,
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends headers and `body` to an ingest path on a listening server; `hold` keeps the request open after the body. */
function send(
  server: Server,
  options: { headers: Record<string, string | number>; body: Buffer | string; path?: string; hold?: boolean },
): { answer: Promise<Answer>; finish: (rest?: Buffer | string) => void } {
  const { port } = server.address() as AddressInfo;
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path: options.path ?? '/v1/events/predictions',
    method: 'POST',
    headers: options.headers,
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    // The server may close a refused request's connection before the body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
  });
  req.write(options.body);
  if (options.hold !== true) req.end();
  return { answer, finish: (rest = '') => req.end(rest) };
}

async function listen(server: Server): Promise<Server> {
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('bounded work per request', () => {
  test('regression: a 16 MiB body of {"events":[{},{},…]} is refused 413 without parsing its 5.6 million elements or holding the event loop for seconds', async () => {
    const built = buildTestExporter();
    const server = await listen(built.app.listen(0, '127.0.0.1'));
    try {
      const body = Buffer.from(`{"events":[${'{},'.repeat(5_592_000)}{}]}`);
      let longestGapMs = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
      }, 10);
      const { answer } = send(server, { headers: { 'content-type': 'application/json' }, body });
      const { status, text } = await answer;
      clearInterval(ticker);
      expect(status).toBe(413);
      expect(JSON.parse(text)).toEqual({
        error: {
          code: 'batch_too_large',
          field: 'events',
          message: 'events: more than 10000 events exceed the limit of 10000 per request (exporter.max_batch_events)',
        },
      });
      expect(built.deps.metrics.rejectedCount('batch_too_large')).toBe(10_001);
      // It held the loop about 3 s before; sending and reading 16 MiB in this process take part of what is left.
      expect(longestGapMs).toBeLessThan(1000);
    } finally {
      await close(server);
    }
  }, 30_000);

  test('a new body that would pass exporter.max_inflight_body_bytes gets 503 with Retry-After, unread and counted apart, and is taken once the bytes are released', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_body_bytes'] = 4096;
        objectAt(s, 'exporter')['max_inflight_body_bytes'] = 6000;
      },
    });
    const server = await listen(built.app.listen(0, '127.0.0.1'));
    try {
      const full = Buffer.from(JSON.stringify({ events: [event()] }));
      const padded = Buffer.concat([full, Buffer.from(' '.repeat(4000 - full.length))]);
      // The first body reserves its Content-Length (4000 bytes) and is held half sent.
      const first = send(server, {
        headers: { 'content-type': 'application/json', 'content-length': padded.length },
        body: padded.subarray(0, 100),
        hold: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await send(server, {
        headers: { 'content-type': 'application/json', 'content-length': padded.length },
        body: padded,
      }).answer;
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect((JSON.parse(refused.text) as ErrorBody).error.code).toBe('overloaded');
      expect(built.deps.metrics.overloadRefusals.value(0)).toBe(1);
      expect(built.deps.metrics.rejectedCount('payload_too_large')).toBe(0);

      first.finish(padded.subarray(100));
      expect((await first.answer).status).toBe(200);
      const after = await send(server, {
        headers: { 'content-type': 'application/json', 'content-length': padded.length },
        body: padded,
      }).answer;
      expect(after.status).toBe(200);
    } finally {
      await close(server);
    }
  });

  test('a chunked body reserves the whole max_body_bytes, the most it may grow to', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_body_bytes'] = 4096;
        objectAt(s, 'exporter')['max_inflight_body_bytes'] = 4500;
      },
    });
    const server = await listen(built.app.listen(0, '127.0.0.1'));
    try {
      const first = send(server, { headers: { 'content-type': 'application/json' }, body: '{"events": [', hold: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
      // 1000 bytes: more than the 404 left beside the 4096 a chunked body reserves.
      const small = JSON.stringify({ events: [event()] }).padEnd(1000, ' ');
      const refused = await send(server, {
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(small) },
        body: small,
      }).answer;
      expect(refused.status).toBe(503);
      first.finish(']}');
      expect((await first.answer).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  test('regression: 40 large bodies at once take no more memory than the in-flight cap allows (each refused unread with 503, or read and refused 413)', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_body_bytes'] = 4 * 1024 * 1024;
        objectAt(s, 'exporter')['max_inflight_body_bytes'] = 8 * 1024 * 1024;
      },
    });
    const server = await listen(built.app.listen(0, '127.0.0.1'));
    try {
      // One event of 4 MiB: nothing refuses it before it is read whole, so only the cap bounds the bodies held at once.
      const body = Buffer.from(`{"events":[{"pad":"${'x'.repeat(4 * 1024 * 1024 - 64)}"}]}`);
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const answers = await Promise.all(
        Array.from(
          { length: 40 },
          () =>
            send(server, { headers: { 'content-type': 'application/json', 'content-length': body.length }, body })
              .answer,
        ),
      );
      clearInterval(sampler);
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 413 || s === 503)).toBe(true);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(built.deps.metrics.overloadRefusals.value(0)).toBe(statuses.filter((s) => s === 503).length);
      // Read at once, the 40 would hold 160 MiB of bodies (and their copies); the cap holds two.
      expect((peak - before) / 2 ** 20).toBeLessThan(128);
    } finally {
      await close(server);
    }
  }, 60_000);

  test('a predict body is one event: it may not pass exporter.max_event_bytes', async () => {
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_event_bytes'] = 2048;
      },
    });
    const res = await request(app)
      .post('/v1/models/fraud/predict')
      .send({ features: demoFeatures({ merchant_category: 'x'.repeat(4096) }) })
      .expect(413);
    expect((res.body as ErrorBody).error).toEqual({
      code: 'payload_too_large',
      field: 'body',
      message: 'the request body exceeds the limit of 2048 bytes (exporter.max_event_bytes)',
    });
    expect(deps.metrics.rejectedCount('payload_too_large')).toBe(1);
  });

  test('a large batch that spends more than max_event_bytes per event is refused before it is parsed', async () => {
    const { app } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_event_bytes'] = 2048;
      },
    });
    const res = await request(app)
      .post('/v1/events/predictions')
      .send({
        events: [
          event({ prediction_id: 'a' }),
          event({ features: demoFeatures({ merchant_category: 'x'.repeat(8000) }) }),
        ],
      })
      .expect(413);
    expect((res.body as ErrorBody).error.message).toMatch(
      /^events: \d+ bytes for 2 events exceed 2048 bytes per event \(exporter\.max_event_bytes\)$/,
    );
  });

  test('regression: one ingested event with latency_ms: 1.7e308 is refused as value_out_of_range, and the latency sum stays finite', async () => {
    const { app, deps } = buildTestExporter();
    const res = await request(app)
      .post('/v1/events/predictions')
      .send({ events: [event({ latency_ms: 1.7e308 }), event({ latency_ms: 3_600_000 })] })
      .expect(200);
    expect(res.body as IngestBody).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          index: 0,
          reason: 'value_out_of_range',
          field: 'events[0].latency_ms',
          message:
            'events[0].latency_ms: 1.7e+308 is beyond the bound of 3600000 (it feeds a sum; see README "Bad input")',
        },
      ],
    });
    expect(deps.metrics.rejectedCount('value_out_of_range')).toBe(1);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).toContain('mlwatch_prediction_latency_seconds_sum{model="fraud",version="v1"} 3600');
  });

  test('regression: read-only GETs with a bad query never raise rejected_events_total; they are counted apart', async () => {
    const { app, deps } = buildTestExporter();
    const res = await request(app).get('/v1/models/fraud/drift?version=v9').expect(400);
    expect((res.body as ErrorBody).error.code).toBe('invalid_request');
    await request(app).get('/v1/models/nope/drift').expect(404);
    expect(deps.metrics.rejectedCount('invalid_request')).toBe(0);
    expect(deps.metrics.rejectedCount('unknown_model')).toBe(0);
    expect(deps.metrics.rejectedReadCount('invalid_request')).toBe(1);
    expect(deps.metrics.rejectedReadCount('unknown_model')).toBe(1);
  });

  test('regression: bad percent-encoding in a path (/v1/models/%ZZ/drift) is a 400 JSON malformed_path, counted, not a 500', async () => {
    const { app, deps } = buildTestExporter();
    const res = await request(app).get('/v1/models/%ZZ/drift').expect(400);
    expect(res.body as ErrorBody).toEqual({
      error: {
        code: 'malformed_path',
        field: 'path',
        message: 'path: "/v1/models/%ZZ/drift" is not valid percent-encoding',
      },
    });
    expect(deps.metrics.rejectedReadCount('malformed_path')).toBe(1);
    await request(app).post('/v1/models/%ZZ/predict').send({ features: demoFeatures() }).expect(400);
    expect(deps.metrics.rejectedCount('malformed_path')).toBe(1);
  });

  test.each(['gzip', 'deflate', 'br'])(
    'regression: content-encoding: %s on a plain body is a 400 JSON unsupported_encoding, counted, not a 500',
    async (encoding) => {
      const { app, deps } = buildTestExporter();
      const res = await request(app)
        .post('/v1/events/predictions')
        .set('content-type', 'application/json')
        .set('content-encoding', encoding)
        .send(JSON.stringify({ events: [event()] }))
        .expect(400);
      expect((res.body as ErrorBody).error).toMatchObject({ code: 'unsupported_encoding', field: 'content-encoding' });
      expect((res.body as ErrorBody).error.message).toMatch(
        /^the request body does not decode as its content-encoding says: /,
      );
      expect(deps.metrics.rejectedCount('unsupported_encoding')).toBe(1);
    },
  );

  test('an unknown content-encoding is a 415 JSON unsupported_encoding', async () => {
    const { app, deps } = buildTestExporter();
    const res = await request(app)
      .post('/v1/events/predictions')
      .set('content-type', 'application/json')
      .set('content-encoding', 'x-zz')
      .send(JSON.stringify({ events: [event()] }))
      .expect(415);
    expect((res.body as ErrorBody).error).toEqual({
      code: 'unsupported_encoding',
      field: 'content-encoding',
      message: 'unsupported content encoding "x-zz"',
    });
    expect(deps.metrics.rejectedCount('unsupported_encoding')).toBe(1);
  });
});

describe('bounds of the numbers that feed a sum', () => {
  test('a regression prediction beyond ±1e12 is refused as value_out_of_range, naming the field', async () => {
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        (s['models'] as unknown[]).push({
          name: 'price',
          task: 'regression',
          versions: [{ name: 'v1', weight: 1 }],
          features: [{ name: 'size', type: 'numeric' }],
        });
      },
    });
    const price = (prediction: number): Record<string, unknown> => ({
      model: 'price',
      version: 'v1',
      prediction,
      features: { size: 3 },
    });
    const res = await request(app)
      .post('/v1/events/predictions')
      .send({ events: [price(-1e13), price(1e12)] })
      .expect(200);
    expect(res.body as IngestBody).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          index: 0,
          reason: 'value_out_of_range',
          field: 'events[0].prediction',
          message:
            'events[0].prediction: -10000000000000 is beyond the bound of 1000000000000 (it feeds a sum; see README "Bad input")',
        },
      ],
    });
    expect(deps.metrics.rejectedCount('value_out_of_range')).toBe(1);
  });
});
