import { formatGoG } from '../../alerting/src/alerts/go-format';
import { formatDuration, parseDuration } from '../../alerting/src/prometheus-duration';

describe('formatGoG (Go fmt %g)', () => {
  test.each([
    [5.9, 3, '5.9'],
    [5.899999999999994, 3, '5.9'],
    [0.001234567, 3, '0.00123'],
    [0.00001234, 3, '1.23e-05'],
    [1234567, 3, '1.23e+06'],
    [123, 3, '123'],
    [1000, 3, '1e+03'],
    [0.1234567 * 100, 4, '12.35'],
    [1, 3, '1'],
    [0, 3, '0'],
    [-2.5, 3, '-2.5'],
    [Infinity, 3, '+Inf'],
    [NaN, 3, 'NaN'],
  ])('%p with precision %p is %p', (value, precision, expected) => {
    expect(formatGoG(value, precision)).toBe(expected);
  });
});

describe('Prometheus durations', () => {
  test.each([
    [300, '5m'],
    [90, '1m30s'],
    [0.5, '500ms'],
    [86_400 * 3, '3d'],
    [3600 + 60 + 1, '1h1m1s'],
    [0, '0s'],
  ])('%p s is %p and back', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBe(seconds);
  });

  test('rejects what is not a duration', () => {
    expect(() => parseDuration('5 minutes')).toThrow(/not a duration/);
    expect(() => formatDuration(-1)).toThrow(RangeError);
  });
});
