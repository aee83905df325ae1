import { PIECE_BYTES, parsePiecewise } from '../../../exporter/src/http/piecewise-json';
import { parseLenientJson } from '../../../exporter/src/ingest/lenient-json';

/** A batch of `count` events of about 200 bytes each, `tweak` applied to event i. */
function batch(count: number, tweak: (event: Record<string, unknown>, i: number) => void = () => undefined): string {
  const events = Array.from({ length: count }, (_, i) => {
    const event: Record<string, unknown> = {
      prediction_id: `id-${i}`,
      model: 'fraud',
      version: 'v1',
      features: { amount: i * 1.5, merchant_category: 'grocery', payment_method: 'chip' },
      prediction: 'legit',
      confidence: 0.9,
    };
    tweak(event, i);
    return event;
  });
  return JSON.stringify({ events });
}

/** Enough events for several pieces. */
const MANY = Math.ceil((4 * PIECE_BYTES) / 150);

describe('parsePiecewise', () => {
  test('a batch of several pieces parses to what JSON.parse gives for the whole body', () => {
    const text = batch(MANY);
    expect(text.length).toBeGreaterThan(3 * PIECE_BYTES);
    expect(parsePiecewise(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  test('whitespace around the key, the list and the closing brace is allowed, as in pretty-printed JSON', () => {
    const text = JSON.stringify(JSON.parse(batch(MANY)), null, 2);
    expect(parsePiecewise(Buffer.from(` \n${text}\r\n`))).toEqual(JSON.parse(text));
  });

  test('an empty list and a list smaller than a piece parse in one piece', () => {
    expect(parsePiecewise(Buffer.from('{"events": [ ]}'))).toEqual({ events: [] });
    expect(parsePiecewise(Buffer.from(batch(2)))).toEqual(JSON.parse(batch(2)));
  });

  test('multi-byte UTF-8 text and malformed bytes decode as the whole body would', () => {
    const text = batch(MANY, (event, i) => {
      if (i % 5 === 0) event['model'] = 'grøcery ☃ 𝄞';
    });
    expect(parsePiecewise(Buffer.from(text))).toEqual(JSON.parse(text));
    // A byte that cannot start a UTF-8 sequence, in the last piece: U+FFFD, as when the body is decoded whole.
    const withBadByte = Buffer.from(text);
    withBadByte[withBadByte.lastIndexOf(Buffer.from('ø'))] = 0xff;
    expect(parsePiecewise(withBadByte)).toEqual(parseLenientJson(withBadByte.toString('utf8')));
  });

  test("Python's NaN and Infinity literals become the lenient parser's sentinels in every piece", () => {
    const text = batch(MANY).replace(/"confidence":0\.9/g, '"confidence":NaN');
    expect(parsePiecewise(Buffer.from(text))).toEqual(parseLenientJson(text));
  });

  test('a cut that falls inside a string leaves the body to the whole parse', () => {
    // Every event's id holds the cut sequence, so the first cut after a piece's worth of bytes is inside a string.
    const text = batch(MANY, (event, i) => (event['prediction_id'] = `a},{b-${i}`));
    expect(parsePiecewise(Buffer.from(text))).toBeUndefined();
  });

  test('a cut that falls inside a nested list of objects leaves the body to the whole parse', () => {
    const text = batch(MANY, (event) => (event['extra'] = [{ a: 1 }, { b: 2 }]));
    expect(parsePiecewise(Buffer.from(text))).toBeUndefined();
  });

  test.each([
    ['a second key after the list', batch(MANY).replace(/\]\}$/, '],"more":[1]}')],
    ['a repeated key', batch(MANY).replace('{"events":', '{"events":[],"events":')],
    ['a list that is not closed', batch(MANY).replace(/\]\}$/, '}')],
    ['a trailing comma', batch(MANY).replace(/\]\}$/, ',]}')],
    ['text after the object', `${batch(MANY)} x`],
    ['a key with an escape', batch(MANY).replace('{"events":', '{"ev\\u0065nts":')],
    ['the key __proto__', batch(MANY).replace('{"events":', '{"__proto__":')],
    ['a byte-order mark', `\ufeff${batch(MANY)}`],
    ['a list at the top', JSON.stringify((JSON.parse(batch(MANY)) as { events: unknown[] }).events)],
  ])('a body with %s is left to the whole parse', (_name, text) => {
    expect(parsePiecewise(Buffer.from(text))).toBeUndefined();
  });
});
