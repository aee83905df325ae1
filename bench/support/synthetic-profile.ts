/**
 * Reference profiles of synthetic models built in-process: each numeric column is generated
 * and summarised by the profile builder's own `summarizeNumeric` (what `buildProfile` does
 * per column after reading a file), so the profile has the shape and size the exporter holds.
 */
import { OTHER_CATEGORY } from '../../spec/src/conventions';
import { Random } from '../../cli/src/demo/random';
import { DEFAULT_SAMPLE_LIMIT, DEFAULT_UNIQUE_LIMIT, summarizeNumeric } from '../../drift/src/profile/build-profile';
import {
  PROFILE_FORMAT,
  type CategoricalFeatureProfile,
  type FeatureProfile,
  type ReferenceProfile,
} from '../../drift/src/profile/reference-profile';
import { drawCategory, numericColumn } from './synthetic-features';
import type { SyntheticModel } from './synthetic-model';

/**
 * The profile of `rows` reference rows of `model` (seeded by `seed`), keeping at most `sampleLimit` values
 * per numeric sample (the profile builder's default unless given, as `mlwatch profile --sample-limit`);
 * one column is generated at a time, so only the profile itself stays in memory.
 */
export function syntheticProfile(
  model: SyntheticModel,
  rows: number,
  seed: number,
  sampleLimit = DEFAULT_SAMPLE_LIMIT,
): ReferenceProfile {
  const limits = { sampleLimit, uniqueLimit: DEFAULT_UNIQUE_LIMIT };
  const features: FeatureProfile[] = [];
  model.numeric.forEach((shape, i) =>
    features.push(summarizeNumeric(shape.name, numericColumn(shape, rows, seed + i), 0, limits)),
  );
  model.categorical.forEach((shape, i) => {
    const r = new Random(seed + 10_000 + i);
    const categories: Record<string, number> = Object.fromEntries(
      [...shape.categories, OTHER_CATEGORY].map((c) => [c, 0]),
    );
    for (let n = 0; n < rows; n++) {
      const category = drawCategory(r, shape);
      categories[category] = (categories[category] ?? 0) + 1;
    }
    const profile: CategoricalFeatureProfile = {
      name: shape.name,
      type: 'categorical',
      count: rows,
      missing: 0,
      categories,
    };
    features.push(profile);
  });
  return {
    format: PROFILE_FORMAT,
    model: model.name,
    source: { file: 'generated in-process', rows },
    sample_limit: limits.sampleLimit,
    unique_limit: limits.uniqueLimit,
    features,
  };
}
