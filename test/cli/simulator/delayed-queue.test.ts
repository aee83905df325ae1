import { DelayedQueue } from '../../../cli/src/simulator/delayed-queue';

interface Item {
  readonly id: string;
  readonly dueAtMs: number;
}

describe('DelayedQueue', () => {
  test('events pushed with delays of their own leave in the order they fall due, not the order they came', () => {
    const queue = new DelayedQueue<Item>(10);
    for (const [id, due] of [
      ['late', 900],
      ['early', 100],
      ['middle', 500],
      ['earliest', 50],
    ] as const)
      queue.push({ id, dueAtMs: due });
    expect(queue.oldestDueAtMs()).toBe(50);
    expect(queue.dueCount(499, 10)).toBe(2);
    expect(queue.dueCount(500, 10)).toBe(3);
    expect(queue.take(10).map((i) => i.id)).toEqual(['earliest', 'early', 'middle', 'late']);
  });

  test('events due at the same moment leave in the order they came', () => {
    const queue = new DelayedQueue<Item>(100);
    for (let i = 0; i < 50; i++) queue.push({ id: `p${i}`, dueAtMs: i % 2 === 0 ? 10 : 20 });
    const taken = queue.take(100).map((i) => i.id);
    const evens = Array.from({ length: 25 }, (_, k) => `p${2 * k}`);
    const odds = Array.from({ length: 25 }, (_, k) => `p${2 * k + 1}`);
    expect(taken).toEqual([...evens, ...odds]);
  });

  test('dueCount counts every due event among many not due, up to its maximum', () => {
    const queue = new DelayedQueue<Item>(1000);
    // A shuffled mix: due times 0..999, pushed in a scrambled order.
    for (let i = 0; i < 1000; i++) queue.push({ id: `p${i}`, dueAtMs: (i * 379) % 1000 });
    expect(queue.dueCount(99, 1000)).toBe(100);
    expect(queue.dueCount(99, 40)).toBe(40);
    expect(queue.take(100).every((i) => i.dueAtMs <= 99)).toBe(true);
    expect(queue.dueCount(99, 1000)).toBe(0);
    expect(queue.size).toBe(900);
  });

  test('refuses an event when full, and names the queue when its capacity is wrong', () => {
    const queue = new DelayedQueue<Item>(2, 'outcome queue');
    expect([1, 2, 3].map((i) => queue.push({ id: `p${i}`, dueAtMs: i }))).toEqual([true, true, false]);
    expect(() => new DelayedQueue<Item>(1.5, 'outcome queue')).toThrow(
      'outcome queue capacity: expected a whole number of at least 1, got 1.5',
    );
  });
});
