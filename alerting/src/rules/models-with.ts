import type { ModelSpec, Spec } from '../../../spec/src/schema';

/** The optional per-model sections a family of rules is generated for. */
type Section = 'quality' | 'outcomes' | 'canary';

/** A model that has section `K`: its spec, the section under its own name, and its place in `models`. */
export type ModelWith<K extends Section> = { readonly model: ModelSpec; readonly index: number } & {
  readonly [P in K]: NonNullable<ModelSpec[P]>;
};

/** The models of the spec that have section `key`, in spec order. */
export function modelsWith<K extends Section>(spec: Spec, key: K): ModelWith<K>[] {
  return spec.models.flatMap((model, index) => {
    const section = model[key];
    return section === undefined ? [] : [{ model, index, [key]: section } as ModelWith<K>];
  });
}
