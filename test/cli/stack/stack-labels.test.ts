import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { loadSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { simulatorArgs } from '../../../cli/src/stack/part-commands';
import type { StackFiles } from '../../../cli/src/stack/stack-files';
import { labelReplica, stackLabelPlan } from '../../../cli/src/stack/stack-labels';

const demo = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')).spec;

/** The demo spec with the first model labelled, its labels expected within `expectedDelaySeconds`. */
function labelled(expectedDelaySeconds: number, store: 'memory' | 'redis' = 'memory'): Spec {
  const [first, ...rest] = demo.models;
  if (first === undefined) throw new Error('the demo spec has no model');
  const quality = {
    expected_delay_seconds: expectedDelaySeconds,
    min_labels: 100,
    windows_seconds: [3600],
    protected_classes: {},
  };
  return { ...demo, joins: { ...demo.joins, store }, models: [{ ...first, quality }, ...rest] };
}

describe('stackLabelPlan', () => {
  test('a model without a quality section gets no labels', () => {
    expect(stackLabelPlan({ ...demo, models: demo.models.map(({ quality: _q, ...m }) => m) }, 'fast')).toBeUndefined();
  });

  test('the simulator’s default delay and coverage when the spec allows labels an hour', () => {
    expect(stackLabelPlan(labelled(3600), 'fast')).toEqual({ delaySeconds: 10, coverage: 0.8 });
    expect(stackLabelPlan(labelled(3600), 'production')).toEqual({ delaySeconds: 10, coverage: 0.8 });
  });

  test('in the fast profile the delay stays within half the expected delay compressed 60 times', () => {
    // 300 s expected → 5 s in the fast profile → labels 2.5 s after their predictions.
    expect(stackLabelPlan(labelled(300), 'fast')?.delaySeconds).toBe(2.5);
    expect(stackLabelPlan(labelled(300), 'production')?.delaySeconds).toBe(10);
  });
});

describe('labelReplica', () => {
  test('with a Redis join store and several replicas, labels go to the next replica', () => {
    const spec = labelled(3600, 'redis');
    expect([0, 1, 2].map((i) => labelReplica(spec, i, 3))).toEqual([1, 2, 0]);
  });

  test('a memory store keeps labels at their own replica, which alone knows the predictions', () => {
    const spec = labelled(3600, 'memory');
    expect([0, 1].map((i) => labelReplica(spec, i, 2))).toEqual([0, 1]);
    expect(labelReplica(labelled(3600, 'redis'), 0, 1)).toBe(0);
  });
});

describe('simulatorArgs', () => {
  const files = { specFile: '/s/spec.yaml', writeTokenFile: '/s/write' } as StackFiles;
  const run = { scenario: 'quality', durationSeconds: 240, rate: 150, seed: 1 };

  test('passes the label delay and coverage, and the label target when labels go elsewhere', () => {
    const args = simulatorArgs(files, 'http://127.0.0.1:1', {
      ...run,
      labels: { delaySeconds: 2.5, coverage: 0.8, target: 'http://127.0.0.1:2' },
    });
    expect(args.slice(-6)).toEqual([
      '--label-delay',
      '2.5s',
      '--label-coverage',
      '0.8',
      '--label-target',
      'http://127.0.0.1:2',
    ]);
  });

  test('without labels the simulator keeps its defaults', () => {
    expect(simulatorArgs(files, 'http://127.0.0.1:1', run).join(' ')).not.toMatch(/--label/);
  });
});
