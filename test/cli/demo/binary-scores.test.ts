import { rocAuc, scoreBinary } from '../../../cli/src/demo/binary-scores';

describe('scoreBinary', () => {
  test('a hand-worked example gives its accuracy, log-loss, AUC and positive rate', () => {
    const scores = scoreBinary([0.9, 0.4, 0.6, 0.2], [1, 1, 0, 0]);
    expect(scores.accuracy).toBe(0.5);
    expect(scores.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.4) + Math.log(0.8)) / 4, 12);
    // Positive/negative pairs ranked right: (0.9 > 0.6), (0.9 > 0.2), (0.4 > 0.2); wrong: (0.4 < 0.6).
    expect(scores.auc).toBe(0.75);
    expect(scores.positive_rate).toBe(0.5);
  });

  test('perfect, reversed and constant scores give AUC 1, 0 and one half', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  test('a certain miss costs a large but finite log-loss', () => {
    expect(scoreBinary([0], [1]).log_loss).toBeCloseTo(-Math.log(1e-15), 6);
  });

  test('AUC is undefined without both classes', () => {
    expect(rocAuc([0.2, 0.7], [1, 1])).toBeNaN();
  });

  test('mismatched lengths are rejected', () => {
    expect(() => scoreBinary([0.5], [1, 0])).toThrow('got 1 probabilities but 2 labels');
  });
});
