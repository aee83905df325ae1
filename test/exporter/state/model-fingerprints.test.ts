import { modelFingerprints } from '../../../exporter/src/state/model-fingerprints';
import { loadProfile } from '../../../drift/src/profile/profile-file';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import type { Spec } from '../../../spec/src/schema';
import { loadEditedDemoSpec, REPO_ROOT } from '../../support/demo-spec';
import { arrayAt, objectAt, type Doc } from '../../support/document';
import path from 'node:path';

const profile = loadProfile(path.join(REPO_ROOT, 'exporter/demo/data/fraud.profile.json'));
const fraud = (spec: Doc): Doc => objectAt(arrayAt(spec, 'models')[0]);
const fingerprintOf = (spec: Spec, fraudProfile: ReferenceProfile = profile): string | undefined =>
  modelFingerprints(spec, new Map([['fraud', fraudProfile]])).get('fraud');

describe('model fingerprints (what restored state must match)', () => {
  const base = loadEditedDemoSpec(() => undefined).spec;

  test("the quality section's thresholds and the profile's calibration map leave drift windows and counters in place", () => {
    const reThresholded = loadEditedDemoSpec((spec) => {
      const quality = objectAt(fraud(spec)['quality']);
      quality['accuracy_floor'] = 0.5;
      quality['min_labels'] = 7;
    }).spec;
    expect(fingerprintOf(reThresholded)).toBe(fingerprintOf(base));
    const { calibration: _calibration, ...uncalibrated } = profile;
    expect(fingerprintOf(base, uncalibrated)).toBe(fingerprintOf(base));
  });

  test('error buckets, a quality section appearing and the reference itself do change it', () => {
    const withoutQuality = loadEditedDemoSpec((spec) => {
      delete fraud(spec)['quality'];
    }).spec;
    expect(fingerprintOf(withoutQuality)).not.toBe(fingerprintOf(base));
    const { outputs: _outputs, ...withoutOutputs } = profile;
    expect(fingerprintOf(base, withoutOutputs)).not.toBe(fingerprintOf(base));
    const spend = (spec: Spec) => modelFingerprints(spec, new Map()).get('spend');
    const rebucketed = loadEditedDemoSpec((spec) => {
      objectAt(objectAt(arrayAt(spec, 'models')[1])['quality'])['error_buckets'] = [1, 2, 3];
    }).spec;
    expect(spend(rebucketed)).not.toBe(spend(base));
  });
});
