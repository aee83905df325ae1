import { expectedCalibrationError } from '../../../drift/src/quality/calibration-error';

describe('expectedCalibrationError', () => {
  test('matches a hand computation over ten equal-width bins', () => {
    // [0.9, 1]: 0.95, 0.95 with one right → |0.95 − 0.5|·2/5 = 0.18
    // [0.6, 0.7): 0.65, 0.62 both right → |0.635 − 1|·2/5 = 0.146
    // [0.1, 0.2): 0.15 wrong → |0.15 − 0|·1/5 = 0.03
    const ece = expectedCalibrationError([0.95, 0.95, 0.65, 0.62, 0.15], [true, false, true, true, false]);
    expect(ece).toBeCloseTo(0.356, 12);
  });

  test('0 when each bin is right as often as it says; 1 and 0 fall in the end bins', () => {
    expect(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false])).toBe(0);
    expect(expectedCalibrationError([1, 0], [true, false])).toBe(0);
    expect(expectedCalibrationError([1, 0], [false, true])).toBe(1);
  });

  test('NaN without predictions; a length mismatch is an error', () => {
    expect(expectedCalibrationError([], [])).toBeNaN();
    expect(() => expectedCalibrationError([0.5], [])).toThrow('expectedCalibrationError: 1 confidences but 0 outcomes');
  });
});
