import { float64Scratch, uint32Scratch } from '../../../drift/src/stats/scratch-array';

describe('ScratchArray', () => {
  test('take hands out views of one buffer that grows to the largest length asked', () => {
    const scratch = float64Scratch();
    const first = scratch.take(4);
    first.set([1, 2, 3, 4]);
    const smaller = scratch.take(2);
    expect(smaller.length).toBe(2);
    expect(smaller.buffer).toBe(first.buffer);
    // Unspecified contents: the previous user's values are still there.
    expect(Array.from(smaller)).toEqual([1, 2]);
    const larger = scratch.take(10);
    expect(larger.length).toBe(10);
    expect(larger.buffer).not.toBe(first.buffer);
    expect(scratch.take(3).buffer).toBe(larger.buffer);
  });

  test('zeroed gives zeros whatever the buffer held, as a new array would', () => {
    const scratch = uint32Scratch();
    scratch.take(5).fill(7);
    expect(Array.from(scratch.zeroed(3))).toEqual([0, 0, 0]);
    expect(Array.from(scratch.take(5))).toEqual([0, 0, 0, 7, 7]);
  });
});
