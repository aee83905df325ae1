import { z } from 'zod';
import { calibrationSchema } from '../quality/calibration-map';

/** Format tag of a reference profile file; bumped when the shape changes. */
export const PROFILE_FORMAT = 'mlwatch.profile/1';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

export const numericFeatureProfileSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('numeric'),
  /** Non-missing values the profile was built from. */
  count: z.number().int().min(1),
  /** Missing (empty or null) values in the reference. */
  missing: z.number().int().min(0),
  /** Ascending sample of at most `sample_limit` values (all of them when fewer), for the sample tests. */
  sample: z.array(finite).min(1),
  /** Inner bin edges: the reference deciles (NumPy's linear quantiles of all `count` values). */
  edges: z.array(finite),
  /** Share of the reference in each of the edges.length + 1 bins (no epsilon applied). */
  proportions: z.array(finite),
  mean: finite,
  std: finite,
  /** Distinct values, capped at the profile's unique_limit (the cap means "many"). */
  unique: z.number().int().min(1),
});

export const categoricalFeatureProfileSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('categorical'),
  count: z.number().int().min(1),
  missing: z.number().int().min(0),
  /** Reference count per category; categories not in the spec are counted under `__other__`. */
  categories: z.record(z.string(), z.number().int().min(0)),
});

export const featureProfileSchema = z.discriminatedUnion('type', [
  numericFeatureProfileSchema,
  categoricalFeatureProfileSchema,
]);

export const referenceProfileSchema = z.strictObject({
  format: z.literal(PROFILE_FORMAT),
  model: z.string().min(1),
  /** Where the profile came from: the reference file's name and its row count. */
  source: z.strictObject({ file: z.string(), rows: z.number().int().min(1) }),
  /** Largest `sample` kept per numeric feature, and the cap on `unique`. */
  sample_limit: z.number().int().min(1),
  unique_limit: z.number().int().min(1),
  features: z.array(featureProfileSchema).min(1),
  /** The reference model outputs, for output drift: predicted-class counts (or a regression output profile) and confidences. */
  outputs: z
    .strictObject({
      prediction: z.union([categoricalFeatureProfileSchema, numericFeatureProfileSchema]),
      confidence: numericFeatureProfileSchema.optional(),
    })
    .optional(),
  /** Calibration of the classifier's probabilities, when the reference has labels and probabilities. */
  calibration: calibrationSchema.optional(),
});

export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;
export type FeatureProfile = z.infer<typeof featureProfileSchema>;
export type NumericFeatureProfile = z.infer<typeof numericFeatureProfileSchema>;
export type CategoricalFeatureProfile = z.infer<typeof categoricalFeatureProfileSchema>;
