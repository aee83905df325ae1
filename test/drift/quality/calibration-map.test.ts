import {
  calibrate,
  calibrateProbabilities,
  calibrationFor,
  calibrationSchema,
  type Calibration,
} from '../../../drift/src/quality/calibration-map';

const MAP = { x: [0.2, 0.4, 0.8], y: [0.1, 0.3, 0.5] };

describe('calibrate', () => {
  test.each([
    [0.2, 0.1, 'at the first knot'],
    [0.4, 0.3, 'at an inner knot'],
    [0.8, 0.5, 'at the last knot'],
    [0.3, 0.2, 'half-way between two knots'],
    [0.5, 0.35, 'a quarter of the way along the second segment'],
    [0.05, 0.1, 'below the first knot: flat'],
    [0, 0.1, 'at 0: flat'],
    [0.95, 0.5, 'above the last knot: flat'],
    [1, 0.5, 'at 1: flat'],
  ])('p = %p gives %p (%s)', (p, expected) => {
    expect(calibrate(MAP, p)).toBeCloseTo(expected, 12);
  });

  test('a one-knot map is constant, and a flat step stays flat between its knots', () => {
    expect(calibrate({ x: [0.5], y: [0.2] }, 0.1)).toBe(0.2);
    expect(calibrate({ x: [0.5], y: [0.2] }, 0.9)).toBe(0.2);
    expect(calibrate({ x: [0.1, 0.3, 0.6], y: [0.25, 0.25, 0.75] }, 0.2)).toBe(0.25);
  });

  test('the identity map returns its input', () => {
    for (const p of [0, 0.123, 0.5, 0.999, 1]) expect(calibrate({ x: [0, 1], y: [0, 1] }, p)).toBe(p);
  });
});

describe('calibrateProbabilities', () => {
  test('calibrates each class by its map, then renormalises to sum to 1', () => {
    const probabilities = Float64Array.from([0.3, 0.7]);
    // no: 0.3 → 0.2; yes: 0.7 → 0.45; sum 0.65.
    calibrateProbabilities({ no: MAP, yes: MAP }, ['no', 'yes'], probabilities);
    expect(probabilities[0]).toBeCloseTo(0.2 / 0.65, 12);
    expect(probabilities[1]).toBeCloseTo(0.45 / 0.65, 12);
  });

  test('a class without a map keeps its raw probability before the renormalisation', () => {
    const probabilities = Float64Array.from([0.5, 0.3, 0.2]);
    calibrateProbabilities({ b: { x: [0, 1], y: [0, 0.5] } }, ['a', 'b', 'c'], probabilities);
    expect(Array.from(probabilities, (p) => Number(p.toFixed(12)))).toEqual([
      0.588235294118, 0.176470588235, 0.235294117647,
    ]);
  });
});

describe('calibrationFor and the schema', () => {
  const calibration: Calibration = {
    method: 'isotonic',
    maps: { v1: { yes: MAP }, '*': { yes: { x: [0, 1], y: [0, 1] } } },
    check: {
      v1: { rows: 20, ece_raw: 0.1, ece_calibrated: 0.05 },
      '*': { rows: 20, ece_raw: 0.1, ece_calibrated: 0.1 },
    },
  };

  test("a version's own maps, else the `*` ones, else none", () => {
    expect(calibrationFor(calibration, 'v1')).toEqual({ yes: MAP });
    expect(calibrationFor(calibration, 'v2')).toEqual({ yes: { x: [0, 1], y: [0, 1] } });
    expect(calibrationFor(undefined, 'v1')).toBeUndefined();
  });

  test('the schema refuses knots whose x does not increase or whose y decreases', () => {
    const withMap = (map: { x: number[]; y: number[] }) => ({ ...calibration, maps: { v1: { yes: map } } });
    expect(calibrationSchema.safeParse(calibration).success).toBe(true);
    expect(calibrationSchema.safeParse(withMap({ x: [0.5, 0.4], y: [0, 1] })).error?.issues[0]?.message).toBe(
      'x must be increasing',
    );
    expect(calibrationSchema.safeParse(withMap({ x: [0.1, 0.4], y: [0.6, 0.5] })).error?.issues[0]?.message).toBe(
      'y must not decrease',
    );
  });
});
