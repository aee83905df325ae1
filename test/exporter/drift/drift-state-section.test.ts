import { Registry } from 'prom-client';
import { Random } from '../../../cli/src/demo/random';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { DriftMonitor } from '../../../exporter/src/drift/drift-monitor';
import { DriftRecorder } from '../../../exporter/src/drift/drift-recorder';
import { driftStateSection } from '../../../exporter/src/drift/drift-state-section';
import { modelFingerprints } from '../../../exporter/src/state/model-fingerprints';
import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { Stream, categoricalProfile, numericProfile, referenceProfile } from '../../drift/engine/fixtures';

function specWith(edit: { perVersion?: boolean; alpha?: number; categories?: string[] } = {}): Spec {
  return parseSpec(
    JSON.stringify({
      service: { name: 's' },
      models: [
        {
          name: 'm',
          task: 'binary_classification',
          classes: ['no', 'yes'],
          versions: [
            { name: 'v1', weight: 0.5 },
            { name: 'v2', weight: 0.5 },
          ],
          features: [
            { name: 'x', type: 'numeric', drift_test: 'ks' },
            { name: 'colour', type: 'categorical', categories: edit.categories ?? ['red', 'blue'], drift_test: 'chi2' },
          ],
        },
      ],
      drift: {
        window_size: 300,
        min_samples: 50,
        max_age_seconds: null,
        per_version: edit.perVersion ?? false,
        alpha: edit.alpha ?? 0.05,
      },
      slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 },
      alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 },
    }),
    'spec.yaml',
  ).spec;
}

function profile(): ReferenceProfile {
  const stream = new Stream(new Random(1));
  return referenceProfile('m', [
    numericProfile('x', stream.normals(1000)),
    categoricalProfile('colour', { red: 600, blue: 400 }),
  ]);
}

/** One exporter generation's drift parts and its drift section. */
function generation(spec: Spec) {
  const profiles = new Map([['m', profile()]]);
  const recorder = new DriftRecorder(spec, profiles);
  const monitor = new DriftMonitor(spec, recorder, profiles, new Registry(), undefined, () => 1000);
  const section = driftStateSection(spec.drift, recorder, monitor, modelFingerprints(spec, profiles));
  const record = (n: number, version = 'v1') => {
    const stream = new Stream(new Random(7));
    const x = stream.normals(n);
    for (let i = 0; i < n; i++)
      recorder.record(
        { model: 'm', version, index: 0, classBase: 0 },
        {
          features: { x: x[i], colour: i % 3 === 0 ? 'blue' : 'red' },
          classIndex: 0,
          output: Number.NaN,
          confidence: 0.9,
        },
        500,
      );
  };
  return { recorder, monitor, section, record };
}

describe('the drift state section', () => {
  test('restores the windows and the latest reports of an unchanged spec, through JSON', async () => {
    const before = generation(specWith());
    before.record(120);
    await before.monitor.evaluateAll();
    const data = JSON.parse(JSON.stringify(before.section.capture(1000))) as unknown;
    const after = generation(specWith());
    expect(after.section.restore(data, 1000)).toEqual([]);
    expect(after.monitor.latest('m')).toEqual(before.monitor.latest('m'));
    expect(after.recorder.targets[0]?.window.snapshot(1000)).toEqual(before.recorder.targets[0]?.window.snapshot(1000));
  });

  test('with other drift settings the windows come back but not the reports, which were decided under the old ones', async () => {
    const before = generation(specWith());
    before.record(120);
    await before.monitor.evaluateAll();
    const after = generation(specWith({ alpha: 0.01 }));
    expect(after.section.restore(before.section.capture(1000), 1000)).toEqual([]);
    expect(after.monitor.latest('m')).toBeUndefined();
    expect(after.recorder.targets[0]?.window.size(1000)).toBe(120);
  });

  test('a changed model section is a fingerprint mismatch and its windows stay empty', () => {
    const before = generation(specWith());
    before.record(120);
    const after = generation(specWith({ categories: ['red', 'blue', 'green'] }));
    expect(after.section.restore(before.section.capture(1000), 1000)).toEqual([
      {
        reason: 'fingerprint_mismatch',
        detail: 'model m: its spec section or reference profile changed, so its windows start empty',
      },
    ]);
    expect(after.recorder.targets[0]?.window.size(1000)).toBe(0);
  });

  test('per-version windows that no longer exist are unknown targets', () => {
    const before = generation(specWith({ perVersion: true }));
    before.record(60, 'v2');
    const after = generation(specWith());
    expect(after.section.restore(before.section.capture(1000), 1000).map((p) => p.reason)).toEqual([
      'unknown_target',
      'unknown_target',
    ]);
  });

  test('a window column of the wrong length is a format error naming it', () => {
    const before = generation(specWith());
    before.record(10);
    const data = JSON.parse(JSON.stringify(before.section.capture(1000))) as {
      models: { m: { targets: Array<{ window: { size: number } }> } };
    };
    const target = data.models.m.targets[0];
    if (target !== undefined) target.window.size = 11;
    expect(() => generation(specWith()).section.restore(data, 1000)).toThrow(
      'drift.models.m.targets[0].window.numeric.x: expected 88 bytes of base64, got 80',
    );
  });
});
