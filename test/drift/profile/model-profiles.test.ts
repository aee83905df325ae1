import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSpec } from '../../../spec/src/load-spec';
import { loadModelProfiles } from '../../../exporter/src/runtime/model-profiles';
import { loadProfile } from '../../../drift/src/profile/profile-file';
import { REPO_ROOT, writeDemoSpec } from '../../support/demo-spec';
import { arrayAt, objectAt } from '../../support/document';

const DEMO_PROFILE = path.join(REPO_ROOT, 'exporter/demo/data/fraud.profile.json');

describe('loadModelProfiles', () => {
  test('a .json reference is loaded as the model profile', async () => {
    const { file } = writeDemoSpec((spec) => (objectAt(spec, 'models', 0)['reference'] = DEMO_PROFILE));
    const profiles = await loadModelProfiles(loadSpec(file));
    expect([...profiles.keys()]).toEqual(['fraud', 'spend']);
    expect(profiles.get('fraud')).toEqual(loadProfile(DEMO_PROFILE));
  });

  test('a CSV reference is profiled at start, outputs scored by the highest-weight version', async () => {
    const { file } = writeDemoSpec();
    const profile = (await loadModelProfiles(loadSpec(file))).get('fraud');
    expect(profile).toEqual(loadProfile(DEMO_PROFILE));
  });

  test('a model without a reference gets no profile', async () => {
    const { file } = writeDemoSpec((spec) => delete objectAt(spec, 'models', 0)['reference']);
    expect([...(await loadModelProfiles(loadSpec(file))).keys()]).toEqual(['spend']);
  });

  test('a profile that does not match the spec stops start-up with a message naming the reference and the mismatch', async () => {
    const { file, dir } = writeDemoSpec((spec) => {
      objectAt(spec, 'models', 0)['reference'] = 'fraud.profile.json';
      arrayAt(spec, 'models', 0, 'features')[0] = {
        name: 'amount',
        type: 'categorical',
        categories: ['small', 'large'],
      };
    });
    writeFileSync(path.join(dir, 'fraud.profile.json'), JSON.stringify(loadProfile(DEMO_PROFILE)));
    await expect(loadModelProfiles(loadSpec(file))).rejects.toThrow(
      `models[0].reference: profile fraud.profile.json does not match models[0] (fraud) of ${file}: feature "amount" is numeric in the profile but categorical in the spec`,
    );
  });

  test('a reference that is neither a profile nor a sample is refused', async () => {
    const { file } = writeDemoSpec((spec) => (objectAt(spec, 'models', 0)['reference'] = 'reference.parquet'));
    await expect(loadModelProfiles(loadSpec(file))).rejects.toThrow(
      'models[0].reference: expected a .json profile or a .csv, .jsonl or .ndjson sample, got "reference.parquet"',
    );
  });

  test('a sample that cannot be read is an error naming the reference', async () => {
    const { file } = writeDemoSpec((spec) => (objectAt(spec, 'models', 0)['reference'] = 'missing.csv'));
    await expect(loadModelProfiles(loadSpec(file))).rejects.toThrow(
      /^models\[0\]\.reference: cannot read .*missing\.csv/,
    );
  });
});
