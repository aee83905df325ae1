import type { ModelSpec, Spec } from '../../../spec/src/schema';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { fingerprint } from './fingerprint';

/**
 * The fingerprint of each model: its spec section and its reference profile. State captured
 * under one fingerprint is only restored into a model with the same one. Descriptions, version
 * weights, the quality section's thresholds and windows (read by the rules, not the exporter) and
 * the profile's calibration map (it weighs new predictions, not what a window or counter holds) are
 * left out: they change neither what a window holds nor what it means. The quality section's
 * presence and its error buckets stay in: they decide which series exist and how they are cut.
 */
export function modelFingerprints(spec: Spec, profiles: ReadonlyMap<string, ReferenceProfile>): Map<string, string> {
  return new Map(spec.models.map((model) => [model.name, fingerprint(fingerprinted(model, profiles.get(model.name)))]));
}

function fingerprinted(model: ModelSpec, profile: ReferenceProfile | undefined): unknown {
  const { description: _description, versions, quality, ...rest } = model;
  const { calibration: _calibration, ...profileRest } = profile ?? {};
  return {
    model: {
      ...rest,
      ...(quality === undefined ? {} : { quality: { error_buckets: quality.error_buckets ?? null } }),
      versions: versions.map(({ weight: _weight, ...version }) => version),
    },
    profile: profile === undefined ? null : profileRest,
  };
}
