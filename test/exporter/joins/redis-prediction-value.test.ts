import type { JoinedPrediction } from '../../../exporter/src/joins/join-store';
import { decodePredictionValue, encodePredictionValue } from '../../../exporter/src/joins/redis-prediction-value';

describe('the Redis join store value of a prediction', () => {
  test('a classifier prediction is written compactly and read back field for field', () => {
    const prediction: JoinedPrediction = {
      model: 'fraud',
      version: 'v2',
      classIndex: 1,
      output: Number.NaN,
      confidence: 0.9312,
      timeMs: 1_764_768_000_123,
    };
    const value = encodePredictionValue(prediction);
    expect(value).toBe('fraud|v2|1|NaN|0.9312|1764768000123');
    expect(decodePredictionValue(value)).toEqual(prediction);
  });

  test('a regression prediction (class -1, NaN confidence) and awkward doubles round-trip exactly', () => {
    for (const output of [-0.1 - 0.2, 1e-300, -123456.789, Number.MAX_VALUE]) {
      const prediction: JoinedPrediction = {
        model: 'house_price',
        version: 'v1',
        classIndex: -1,
        output,
        confidence: Number.NaN,
        timeMs: 0,
      };
      const decoded = decodePredictionValue(encodePredictionValue(prediction));
      expect(decoded).toEqual(prediction);
      expect(Object.is(decoded.output, output)).toBe(true);
    }
  });

  test('a value that is not one of ours is refused naming it', () => {
    expect(() => decodePredictionValue('fraud|v1|1')).toThrow(
      'join store value "fraud|v1|1": expected 6 fields separated by "|"',
    );
  });
});
