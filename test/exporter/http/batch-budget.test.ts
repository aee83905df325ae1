import fc from 'fast-check';
import {
  BatchStreamScan,
  checkBatchBudget,
  scanBatch,
  type BatchBudget,
} from '../../../exporter/src/http/batch-budget';

const BUDGET: BatchBudget = { maxEvents: 100, maxEventBytes: 1024, maxStructurePerEvent: 20 };

describe('scanBatch', () => {
  test('counts the elements of the list and its structure, skipping strings that hold brackets, commas and escapes', async () => {
    const text = '{"events": [{"a": "x,]}{\\"", "b": [1, 2]}, {"c": "\\\\"}, {}]}';
    expect(await scanBatch(Buffer.from(text), BUDGET)).toEqual({ events: 3, structure: 11, stopped: false });
  });

  test('an empty list has no events', async () => {
    expect(await scanBatch(Buffer.from('{"events": [ ]}'), BUDGET)).toEqual({
      events: 0,
      structure: 0,
      stopped: false,
    });
  });

  test('stops as soon as the list passes max_batch_events, without walking the rest', async () => {
    const text = `{"events":[${'{},'.repeat(100_000)}{}]}`;
    expect(await scanBatch(Buffer.from(text), BUDGET)).toEqual({ events: 101, structure: 200, stopped: true });
  });

  test('a body of another shape is not a batch', async () => {
    expect(await scanBatch(Buffer.from('[{}, {}]'), BUDGET)).toBeUndefined();
    expect(await scanBatch(Buffer.from('{"events": [{}], "more": 1}'), BUDGET)).toBeUndefined();
  });
});

describe('checkBatchBudget', () => {
  const pad = (bytes: number): string => ' '.repeat(bytes);

  test("a body within one event's bytes is not scanned", async () => {
    expect(await checkBatchBudget(Buffer.from('[1, 2, 3]'), BUDGET)).toBeUndefined();
  });

  test('a batch within its budget passes', async () => {
    const events = Array.from({ length: 10 }, () => `{"model": "fraud", "pad": "${'x'.repeat(200)}"}`);
    expect(await checkBatchBudget(Buffer.from(`{"events": [${events.join(',')}]}`), BUDGET)).toBeUndefined();
  });

  test('a large body that is not a batch is refused before it is parsed', async () => {
    const error = await checkBatchBudget(Buffer.from(`[${pad(2000)}]`), BUDGET);
    expect(error?.toJSON()).toEqual({
      error: {
        code: 'invalid_request',
        field: 'body',
        message: 'body: a body over 1024 bytes (exporter.max_event_bytes) must be a batch {"events": [...]}',
      },
    });
  });

  test('a batch over max_batch_events is refused as batch_too_large, counting the events it read', async () => {
    const error = await checkBatchBudget(Buffer.from(`{"events":[${'{},'.repeat(1000)}{}]}`), BUDGET);
    expect(error?.status).toBe(413);
    expect(error?.rejectedEvents).toBe(101);
    expect(error?.toJSON().error).toEqual({
      code: 'batch_too_large',
      field: 'events',
      message: 'events: more than 100 events exceed the limit of 100 per request (exporter.max_batch_events)',
    });
  });

  test('a batch that spends more bytes per event than max_event_bytes is refused', async () => {
    const error = await checkBatchBudget(Buffer.from(`{"events":[{"a": "${'x'.repeat(3000)}"}, {}]}`), BUDGET);
    expect(error?.toJSON().error).toEqual({
      code: 'payload_too_large',
      field: 'events',
      message: 'events: 3026 bytes for 2 events exceed 1024 bytes per event (exporter.max_event_bytes)',
    });
  });

  test('a batch whose events nest more structure than the budget is refused, however few bytes it spends', async () => {
    const error = await checkBatchBudget(Buffer.from(`{"events":[{"a": [${'1,'.repeat(600)}1]}]}`), BUDGET);
    expect(error?.status).toBe(413);
    expect(error?.toJSON().error.code).toBe('payload_too_large');
    expect(error?.toJSON().error.message).toMatch(
      /^events: 60\d structural characters .* for 1 events exceed 20 per event/,
    );
  });
});

describe('BatchStreamScan', () => {
  const feedAll = (scan: BatchStreamScan, text: string, chunkBytes: number): ReturnType<BatchStreamScan['feed']> => {
    // The first chunk holds the head (16 bytes); the rest is cut every `chunkBytes`, inside strings and escapes too.
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += i === 0 ? 16 : chunkBytes) {
      const refusal = scan.feed(bytes.subarray(i, i === 0 ? 16 : i + chunkBytes));
      if (refusal !== undefined) return refusal;
    }
    return undefined;
  };

  test('refuses a batch past max_batch_events while it arrives, across chunks cut anywhere', () => {
    const refusal = feedAll(new BatchStreamScan(BUDGET), `{"events":[${'{"a":"x,\\",y"},'.repeat(500)}{}]}`, 7);
    expect(refusal?.status).toBe(413);
    expect(refusal?.rejectedEvents).toBe(101);
    expect(refusal?.toJSON().error.code).toBe('batch_too_large');
  });

  test('lets a batch within its budget through, commas inside strings and escapes not counted', () => {
    const events = Array.from({ length: 100 }, () => '{"a": "x,y\\\\", "b": "},{\\"}"}');
    expect(feedAll(new BatchStreamScan(BUDGET), `{"events": [${events.join(',')}]}`, 5)).toBeUndefined();
  });

  test('leaves a body whose first chunk does not hold the head to the whole-body scan', () => {
    expect(new BatchStreamScan(BUDGET).feed(Buffer.from('{"eve'))).toBeUndefined();
    expect(new BatchStreamScan(BUDGET).feed(Buffer.from(`[${'{},'.repeat(500)}{}]`))).toBeUndefined();
  });

  test("the shape it counted as the body arrived is the whole-body scan's, so the body is not scanned twice", async () => {
    const element = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('{"a":"x,\\",y"}', '"\\\\"', '{"b":"]},{["}', ' { } ', '[1,[2,[3]]]'),
    );
    const body = fc
      .tuple(fc.array(element, { maxLength: 30 }), fc.constantFrom('', ' ', '\n  '))
      .map(([elements, space]) => `{"events":${space}[${space}${elements.join(`,${space}`)}${space}]${space}}${space}`);
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 1, max: 40 }), async (text, chunkBytes) => {
        const scan = new BatchStreamScan({ ...BUDGET, maxEvents: 10_000, maxStructurePerEvent: 10_000 });
        expect(feedAll(scan, text, chunkBytes)).toBeUndefined();
        const bytes = Buffer.from(text);
        expect(scan.shapeOf(bytes)).toEqual(
          await scanBatch(bytes, { ...BUDGET, maxEvents: 10_000, maxStructurePerEvent: 10_000 }),
        );
      }),
      { numRuns: 500 },
    );
  });

  test('a body split at every byte counts as the whole body does: escapes, quotes and backslashes cut anywhere', async () => {
    // Strings full of what the string skip must get right: escaped quotes, escaped backslashes, a
    // backslash as the string's last character, structure characters inside strings, multi-byte
    // characters, and runs long enough to be skipped four bytes at a time.
    const tricky = fc
      .array(fc.constantFrom('\\"', '\\\\', '\\u0022', 'a', ',', ':', '{', ']', ' ', 'é', '€', 'abcdefgh'), {
        maxLength: 8,
      })
      .map((parts) => `"${parts.join('')}"`);
    const element = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.tuple(tricky, tricky).map(([k, v]) => `{${k}:${v},"n":[1,{"x":${v}}]}`),
      tricky,
    );
    const body = fc
      .tuple(fc.array(element, { maxLength: 12 }), fc.constantFrom('', ' ', '\n'))
      .map(([elements, space]) => `{"events":[${space}${elements.join(`,${space}`)}${space}]}${space}`);
    // Budgets from roomy to tight, so that refusals, where they happen, are compared too.
    const budgets: BatchBudget[] = [
      { ...BUDGET, maxEvents: 10_000, maxStructurePerEvent: 10_000 },
      { ...BUDGET, maxEvents: 5, maxStructurePerEvent: 10_000 },
      { ...BUDGET, maxEvents: 10_000, maxStructurePerEvent: 1 },
    ];
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom(...budgets), async (text, budget) => {
        const bytes = Buffer.from(text);
        const whole = new BatchStreamScan(budget);
        const wholeError = whole.feed(bytes);
        const wholeRefusal = wholeError?.toJSON();
        // The whole body fed at once agrees with the whole-body scan: the same shape, or a refusal where it stops.
        const scanned = await scanBatch(bytes, budget);
        if (wholeRefusal === undefined) expect(whole.shapeOf(bytes)).toEqual(scanned);
        else
          expect({ stopped: scanned?.stopped, tooMany: wholeError?.rejectedEvents }).toEqual({
            stopped: true,
            tooMany: wholeRefusal.error.code === 'batch_too_large' ? scanned?.events : 1,
          });
        const head = '{"events":['.length;
        const differing = [];
        for (let cut = head; cut <= bytes.length; cut++) {
          const split = new BatchStreamScan(budget);
          const refusal = (split.feed(bytes.subarray(0, cut)) ?? split.feed(bytes.subarray(cut)))?.toJSON();
          const shape = wholeRefusal === undefined ? split.shapeOf(bytes) : undefined;
          if (JSON.stringify(refusal) !== JSON.stringify(wholeRefusal)) differing.push({ cut, refusal });
          else if (
            JSON.stringify(shape) !== JSON.stringify(wholeRefusal === undefined ? whole.shapeOf(bytes) : undefined)
          )
            differing.push({ cut, shape });
        }
        expect(differing).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('gives no shape when it did not see the whole body, or when something but } follows the list', () => {
    const partial = new BatchStreamScan(BUDGET);
    const text = `{"events":[${'{},'.repeat(20)}{}]}`;
    partial.feed(Buffer.from(text.slice(0, 40)));
    expect(partial.shapeOf(Buffer.from(text))).toBeUndefined();
    const trailing = new BatchStreamScan(BUDGET);
    const other = '{"events":[{},{}], "more": [1,2,3]}';
    feedAll(trailing, other, 4);
    expect(trailing.shapeOf(Buffer.from(other))).toBeUndefined();
  });
});
