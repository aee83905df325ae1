import type { ModelSpec } from '../../../../spec/src/schema';
import { DriftWindow } from '../../../../exporter/src/drift/window/drift-window';
import { SnapshotBuffers } from '../../../../exporter/src/drift/window/snapshot-buffers';
import { defined } from '../../../support/defined';

const MODEL: ModelSpec = {
  name: 'm',
  task: 'binary_classification',
  classes: ['no', 'yes'],
  versions: [{ name: 'v1', weight: 1 }],
  features: [
    { name: 'x', type: 'numeric', nullable: true, drift_test: 'auto' },
    { name: 'colour', type: 'categorical', nullable: false, categories: ['red', 'blue'], drift_test: 'auto' },
  ],
  fault_injection: false,
};

function event(x: number | null, colour: string, classIndex = 0, confidence = 0.9) {
  return { features: { x, colour }, classIndex, output: Number.NaN, confidence };
}

describe('DriftWindow', () => {
  test('a snapshot holds the events oldest first, with codes for categories, __other__ and missing values', () => {
    const window = new DriftWindow(MODEL, { capacity: 5, maxAgeMs: null });
    window.record(event(1, 'red'), 0);
    window.record(event(null, 'blue', 1, 0.6), 1);
    window.record(event(3, 'green'), 2);
    const snap = window.snapshot(3);
    expect(snap.size).toBe(3);
    expect(Array.from(snap.numeric.get('x') ?? [])).toEqual([1, Number.NaN, 3]);
    expect(Array.from(snap.categorical.get('colour') ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(snap.predictedClasses ?? [])).toEqual([0, 1, 0]);
    expect(Array.from(snap.confidences)).toEqual([0.9, 0.6, 0.9]);
  });

  test('when full, the oldest events are overwritten and the order is kept across the wrap', () => {
    const window = new DriftWindow(MODEL, { capacity: 3, maxAgeMs: null });
    for (let i = 1; i <= 7; i++) window.record(event(i, 'red'), i);
    const snap = window.snapshot(8);
    expect(snap.size).toBe(3);
    expect(Array.from(snap.numeric.get('x') ?? [])).toEqual([5, 6, 7]);
  });

  test('events older than the age bound are left out, so a quiet model is not judged on stale data', () => {
    const window = new DriftWindow(MODEL, { capacity: 10, maxAgeMs: 1000 });
    window.record(event(1, 'red'), 0);
    window.record(event(2, 'red'), 500);
    window.record(event(3, 'red'), 1500);
    expect(window.size(1400)).toBe(2);
    expect(Array.from(window.snapshot(1400).numeric.get('x') ?? [])).toEqual([2, 3]);
    expect(window.size(1600)).toBe(1);
    expect(window.snapshot(5000).size).toBe(0);
  });

  test('a snapshot is a copy: later events do not change it', () => {
    const window = new DriftWindow(MODEL, { capacity: 2, maxAgeMs: null });
    window.record(event(1, 'red'), 0);
    const snap = window.snapshot(1);
    window.record(event(2, 'red'), 2);
    window.record(event(3, 'red'), 3);
    expect(Array.from(snap.numeric.get('x') ?? [])).toEqual([1]);
  });

  test('a snapshot into reused buffers holds what a fresh one holds, and the next snapshot into them overwrites it', () => {
    const window = new DriftWindow(MODEL, { capacity: 4, maxAgeMs: null });
    const buffers = new SnapshotBuffers();
    for (let i = 1; i <= 6; i++)
      window.record(event(i % 3 === 0 ? null : i, i % 2 === 0 ? 'blue' : 'pink', i % 2, i / 10), i);
    const reused = window.snapshot(7, buffers);
    expect(reused).toEqual(window.snapshot(7));
    const x = defined(reused.numeric.get('x'), 'column x');
    window.record(event(7, 'red'), 7);
    const next = window.snapshot(8, buffers);
    expect(next).toEqual(window.snapshot(8));
    expect(next.numeric.get('x')?.buffer).toBe(x.buffer);
    expect(Array.from(x)).toEqual([4, 5, Number.NaN, 7]);
  });

  test('buffers shared by windows of different sizes hand each snapshot columns of its own length', () => {
    const buffers = new SnapshotBuffers();
    const large = new DriftWindow(MODEL, { capacity: 10, maxAgeMs: null });
    const small = new DriftWindow(MODEL, { capacity: 3, maxAgeMs: null });
    for (let i = 0; i < 10; i++) large.record(event(i, 'red'), i);
    for (let i = 0; i < 2; i++) small.record(event(-i, 'blue', 1), i);
    expect(large.snapshot(10, buffers)).toEqual(large.snapshot(10));
    const snap = small.snapshot(2, buffers);
    expect(snap).toEqual(small.snapshot(2));
    expect(snap.confidences.length).toBe(2);
  });

  test('memory is fixed by the capacity whatever the traffic', () => {
    const window = new DriftWindow(MODEL, { capacity: 100, maxAgeMs: null });
    for (let i = 0; i < 100_000; i++) window.record(event(i, 'red'), i);
    expect(window.snapshot(100_000).size).toBe(100);
  });
  test('exported events (oldest first, after a wrap and without stale ones) import into a new window as the same window', () => {
    const window = new DriftWindow(MODEL, { capacity: 4, maxAgeMs: 10 });
    for (let i = 1; i <= 6; i++)
      window.record(event(i === 4 ? null : i, i % 2 === 0 ? 'blue' : 'green', i % 2, i / 10), i);
    const events = window.exportEvents(14);
    // Events 3..6 are held; at 14 the age bound (10 ms) drops 3 (it arrived before 4).
    expect(events.size).toBe(3);
    expect(Array.from(events.arrivals)).toEqual([4, 5, 6]);
    const restored = new DriftWindow(MODEL, { capacity: 4, maxAgeMs: 10 });
    restored.importEvents(events);
    expect(restored.snapshot(14)).toEqual(window.snapshot(14));
    // The ring goes on from where the import left it.
    restored.record(event(7, 'red'), 7);
    window.record(event(7, 'red'), 7);
    expect(restored.snapshot(15)).toEqual(window.snapshot(15));
  });

  test('importing more events than the capacity keeps the newest', () => {
    const big = new DriftWindow(MODEL, { capacity: 6, maxAgeMs: null });
    for (let i = 1; i <= 6; i++) big.record(event(i, 'red'), i);
    const small = new DriftWindow(MODEL, { capacity: 4, maxAgeMs: null });
    small.importEvents(big.exportEvents(7));
    expect(Array.from(small.snapshot(7).numeric.get('x') ?? [])).toEqual([3, 4, 5, 6]);
  });

  test('importing events without one of the window’s columns throws naming it and leaves the window as it was', () => {
    const window = new DriftWindow(MODEL, { capacity: 4, maxAgeMs: null });
    window.record(event(1, 'red'), 1);
    const events = window.exportEvents(2);
    const broken = { ...events, categorical: new Map<string, Int32Array>() };
    const target = new DriftWindow(MODEL, { capacity: 4, maxAgeMs: null });
    target.record(event(9, 'blue'), 1);
    expect(() => target.importEvents(broken)).toThrow('window column colour: expected 1 values, got none');
    expect(Array.from(target.snapshot(2).numeric.get('x') ?? [])).toEqual([9]);
  });
});
