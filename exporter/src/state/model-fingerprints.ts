import type { ModelSpec, Spec } from '../../../spec/src/schema';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { fingerprint } from './fingerprint';

/**
 * The fingerprint of each model: its spec section and its reference profile. State captured
 * under one fingerprint is only restored into a model with the same one. Descriptions and
 * version weights are left out: they change neither what a window holds nor what it means.
 */
export function modelFingerprints(spec: Spec, profiles: ReadonlyMap<string, ReferenceProfile>): Map<string, string> {
  return new Map(spec.models.map((model) => [model.name, fingerprint(fingerprinted(model, profiles.get(model.name)))]));
}

function fingerprinted(model: ModelSpec, profile: ReferenceProfile | undefined): unknown {
  const { description: _description, versions, ...rest } = model;
  return {
    model: { ...rest, versions: versions.map(({ weight: _weight, ...version }) => version) },
    profile: profile ?? null,
  };
}
