import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { loadSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { simulatorArgs } from '../../../cli/src/stack/part-commands';
import type { StackFiles } from '../../../cli/src/stack/stack-files';
import { stackOutcomePlan } from '../../../cli/src/stack/stack-outcomes';
import { outcomeOptions } from '../../../cli/src/commands/simulate-command';

const demo = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')).spec;

/** The demo spec with the first model's attribution delay set to `seconds`. */
function attributed(seconds: number): Spec {
  const [first, ...rest] = demo.models;
  const fraud = defined(first, 'the demo fraud model');
  const outcomes = defined(fraud.outcomes, 'the demo fraud model’s outcomes');
  return { ...demo, models: [{ ...fraud, outcomes: { ...outcomes, attribution_delay_seconds: seconds } }, ...rest] };
}

describe('stackOutcomePlan', () => {
  test('a model without an outcomes section gets no outcomes (the demo’s second model, spend)', () => {
    expect(demo.models[1]?.outcomes).toBeUndefined();
    expect(stackOutcomePlan(demo, 'fast', 1)).toBeUndefined();
  });

  test('the demo spec’s 300 s attribution delay: 5 s in the fast profile, the simulator’s 10 s default in production', () => {
    expect(stackOutcomePlan(demo, 'fast')).toEqual({ delaySeconds: 5, coverage: 1 });
    expect(stackOutcomePlan(demo, 'production')).toEqual({ delaySeconds: 10, coverage: 1 });
  });

  test('an attribution delay of 0 sends outcomes at once', () => {
    expect(stackOutcomePlan(attributed(0), 'production')?.delaySeconds).toBe(0);
  });
});

describe('simulatorArgs with outcomes', () => {
  const files = { specFile: '/s/spec.yaml', writeTokenFile: '/s/write' } as StackFiles;
  const run = { scenario: 'canary', durationSeconds: 240, rate: 150, seed: 1 };

  test('passes the outcome delay and coverage, and the outcome target when outcomes go elsewhere', () => {
    const args = simulatorArgs(files, 'http://127.0.0.1:1', {
      ...run,
      outcomes: { delaySeconds: 5, coverage: 1, target: 'http://127.0.0.1:2' },
    });
    expect(args.slice(-6)).toEqual([
      '--outcome-delay',
      '5s',
      '--outcome-coverage',
      '1',
      '--outcome-target',
      'http://127.0.0.1:2',
    ]);
  });

  test('the arguments read back as the same simulator options', () => {
    const args = simulatorArgs(files, 'http://127.0.0.1:1', { ...run, outcomes: { delaySeconds: 2.5, coverage: 0.9 } });
    const at = (name: string) => args[args.indexOf(name) + 1];
    expect(
      outcomeOptions({ 'outcome-delay': at('--outcome-delay'), 'outcome-coverage': at('--outcome-coverage') }),
    ).toEqual({ outcomeDelaySeconds: 2.5, outcomeCoverage: 0.9 });
  });

  test('without outcomes the simulator keeps its defaults', () => {
    expect(simulatorArgs(files, 'http://127.0.0.1:1', run).join(' ')).not.toMatch(/--outcome/);
  });
});
