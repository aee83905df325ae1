import { LabelQueue, type PendingLabel } from '../../../cli/src/simulator/label-queue';

function label(id: number, dueAtMs: number): PendingLabel {
  return { predictionId: `p${id}`, truth: 'fraud', predicted: 'legit', phase: 'normal', dueAtMs };
}

describe('LabelQueue', () => {
  test('hands labels out oldest first and counts only those due', () => {
    const queue = new LabelQueue(10);
    for (let i = 0; i < 5; i++) expect(queue.push(label(i, 1000 + i * 100))).toBe(true);
    expect(queue.oldestDueAtMs()).toBe(1000);
    expect(queue.dueCount(999, 10)).toBe(0);
    expect(queue.dueCount(1000, 10)).toBe(1);
    expect(queue.dueCount(1250, 10)).toBe(3);
    expect(queue.dueCount(1250, 2)).toBe(2);
    expect(queue.take(2).map((l) => l.predictionId)).toEqual(['p0', 'p1']);
    expect(queue.size).toBe(3);
    expect(queue.oldestDueAtMs()).toBe(1200);
  });

  test('refuses a label when full and holds no more than its capacity, however many are pushed', () => {
    const queue = new LabelQueue(3);
    const accepted = Array.from({ length: 1000 }, (_, i) => queue.push(label(i, i))).filter(Boolean).length;
    expect(accepted).toBe(3);
    expect(queue.size).toBe(3);
    expect(queue.take(10).map((l) => l.predictionId)).toEqual(['p0', 'p1', 'p2']);
    expect(queue.size).toBe(0);
    expect(queue.oldestDueAtMs()).toBeUndefined();
  });

  test('keeps its order across the end of the ring', () => {
    const queue = new LabelQueue(4);
    let next = 0;
    const taken: string[] = [];
    for (let round = 0; round < 5; round++) {
      while (queue.push(label(next, next))) next++;
      taken.push(...queue.take(3).map((l) => l.predictionId));
    }
    taken.push(...queue.take(10).map((l) => l.predictionId));
    expect(taken).toEqual(Array.from({ length: next }, (_, i) => `p${i}`));
  });

  test('a capacity below one is refused, naming it', () => {
    expect(() => new LabelQueue(0)).toThrow('label queue capacity: expected a whole number of at least 1, got 0');
  });
});
