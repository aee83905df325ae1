import { StateStore } from '../../../exporter/src/state/state-store';
import { SnapshotFormatError, objectAt, type StateSection } from '../../../exporter/src/state/state-section';

/** A section that keeps one number, durable or not, and reports what it restored. */
function numberSection(name: string, durable: boolean): StateSection & { value: number } {
  const section = {
    name,
    durable,
    value: 0,
    capture: () => ({ value: section.value }),
    restore: (data: unknown) => {
      const value = objectAt(data, name)['value'];
      if (typeof value !== 'number') throw new SnapshotFormatError(`${name}.value: not a number`);
      section.value = value;
      return [];
    },
  };
  return section;
}

describe('StateStore', () => {
  test('a disk capture holds the durable sections only; a reload capture holds them all', () => {
    const windows = numberSection('windows', true);
    const counters = numberSection('counters', false);
    const store = new StateStore([windows, counters]);
    windows.value = 3;
    counters.value = 4;
    const disk = store.capture(Date.UTC(2026, 0, 1), 'disk');
    expect(disk).toEqual({
      format: 'mlwatch-state',
      version: 1,
      written_at: '2026-01-01T00:00:00.000Z',
      sections: { windows: { value: 3 } },
    });
    expect(Object.keys(store.capture(0, 'reload').sections)).toEqual(['windows', 'counters']);
  });

  test('restores each section it has and leaves a section it does not have (a newer exporter’s) alone', () => {
    const windows = numberSection('windows', true);
    const store = new StateStore([windows]);
    const problems = store.restore(
      { format: 'mlwatch-state', version: 1, written_at: '', sections: { windows: { value: 7 }, ids: { x: 1 } } },
      0,
    );
    expect(problems).toEqual([]);
    expect(windows.value).toBe(7);
  });

  test.each([
    ['not an object', 'garbage', { reason: 'corrupt', detail: 'snapshot: expected an object, got "garbage"' }],
    [
      'another format',
      { format: 'other', version: 1, sections: {} },
      { reason: 'corrupt', detail: 'snapshot: format is not "mlwatch-state"' },
    ],
    [
      'another version',
      { format: 'mlwatch-state', version: 99, sections: {} },
      { reason: 'unsupported_version', detail: 'snapshot: version 99, this exporter reads version 1' },
    ],
    [
      'sections missing',
      { format: 'mlwatch-state', version: 1 },
      { reason: 'corrupt', detail: 'snapshot.sections: expected an object, got undefined' },
    ],
  ])('a document that is %s restores nothing and says why', (_, document, problem) => {
    const windows = numberSection('windows', true);
    expect(new StateStore([windows]).restore(document, 0)).toEqual([problem]);
    expect(windows.value).toBe(0);
  });

  test('a malformed section is reported as corrupt and the other sections are still restored', () => {
    const windows = numberSection('windows', true);
    const ids = numberSection('ids', true);
    const problems = new StateStore([windows, ids]).restore(
      { format: 'mlwatch-state', version: 1, sections: { windows: { value: 'x' }, ids: { value: 2 } } },
      0,
    );
    expect(problems).toEqual([{ reason: 'corrupt', detail: 'section windows: windows.value: not a number' }]);
    expect([windows.value, ids.value]).toEqual([0, 2]);
  });

  test('two sections with one name are refused', () => {
    expect(() => new StateStore([numberSection('a', true), numberSection('a', false)])).toThrow(
      'StateStore: two sections named "a"',
    );
  });
});
