/**
 * `Date.parse` with a fast path for the form clients send most, `YYYY-MM-DDTHH:MM:SS.sssZ` (what
 * `toISOString` and Python's `isoformat` with a `Z` write): read by character codes, no Date
 * parser. Any other text, and any field outside a plain calendar range, goes to `Date.parse`,
 * so the result is always what `Date.parse` gives.
 */
export function parseTimestampMs(text: string): number {
  if (text.length !== 24 || !hasCanonicalShape(text)) return Date.parse(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  // Date.UTC maps years 0-99 to 1900-1999, and Date.parse rolls some impossible dates over: leave those to it.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Date.parse(text);
  if (hour > 23 || minute > 59 || second > 59) return Date.parse(text);
  return Date.UTC(year, month - 1, day, hour, minute, second, digits(text, 20, 3));
}

/** The canonical form, `d` standing for a digit. */
const SHAPE = 'dddd-dd-ddTdd:dd:dd.dddZ';
const DIGIT = 100; // 'd'

/** Digits and separators where the canonical form has them. */
function hasCanonicalShape(text: string): boolean {
  for (let i = 0; i < SHAPE.length; i++) {
    const code = text.charCodeAt(i);
    const expected = SHAPE.charCodeAt(i);
    if (expected === DIGIT ? code < 48 || code > 57 : code !== expected) return false;
  }
  return true;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
