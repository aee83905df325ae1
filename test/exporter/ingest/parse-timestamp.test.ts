import fc from 'fast-check';
import { parseTimestampMs } from '../../../exporter/src/ingest/parse-timestamp';

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

describe('parseTimestampMs', () => {
  test('reads the canonical UTC form to the millisecond', () => {
    expect(parseTimestampMs('2025-06-02T09:00:00.123Z')).toBe(Date.UTC(2025, 5, 2, 9, 0, 0, 123));
    expect(parseTimestampMs('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
  });

  test.each([
    ['a day past the end of the month, which Date.parse rolls over', '2025-02-30T00:00:00.000Z'],
    ['hour 24', '2025-06-02T24:00:00.000Z'],
    ['a leap second', '2025-06-02T23:59:60.000Z'],
    ['month 13', '2025-13-02T09:00:00.000Z'],
    ['a year below 100, which Date.UTC would move to the 1900s', '0050-06-02T09:00:00.000Z'],
    ['no milliseconds', '2025-06-02T09:00:00Z'],
    ['a letter where a digit belongs', '2025-06-0xT09:00:00.000Z'],
    ['a sign where a digit belongs', '2025-06-02T09:00:-1.000Z'],
    ['an offset instead of Z', '2025-06-02T09:00:00.000+02:00'],
    ['a date only', '2025-06-02'],
    ['not a date', 'yesterday'],
  ])('agrees with Date.parse on %s', (_case, text) => {
    expect(parseTimestampMs(text)).toBe(Date.parse(text));
  });

  test('agrees with Date.parse on any text of the canonical shape, valid or not', () => {
    const canonical = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(
        ([y, mo, d, h, mi, s, ms]) =>
          `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`,
      );
    fc.assert(
      fc.property(canonical, (text) => Object.is(parseTimestampMs(text), Date.parse(text))),
      { numRuns: 5000 },
    );
  });

  test('agrees with Date.parse on dates written by toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const text = new Date(ms).toISOString();
        return parseTimestampMs(text) === ms && Date.parse(text) === ms;
      }),
      { numRuns: 5000 },
    );
  });
});
