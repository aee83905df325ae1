import type { FeatureSpec } from '../../../spec/src/schema';
import type { Random } from '../demo/random';
import type { FeatureValue } from '../../../spec/src/model-types';
import type { FeatureEffect } from './scenarios';

/**
 * Keeps the effects that apply to a model's features: a missing feature is skipped, and
 * scale/add only touch numeric features, so one scenario serves any model's spec.
 */
export function compileFeatureEffects(
  effects: readonly FeatureEffect[],
  features: readonly FeatureSpec[],
): FeatureEffect[] {
  const types = new Map(features.map((f) => [f.name, f.type]));
  return effects.filter((effect) => {
    const type = types.get(effect.feature);
    if (type === undefined) return false;
    return effect.kind === 'replace'
      ? effect.values.every((v) => (type === 'numeric') === (typeof v === 'number'))
      : type === 'numeric';
  });
}

/** Applies effects at `strength` (0 to 1) to a copy of `row`; null values stay null. */
export function applyFeatureEffects(
  row: Readonly<Record<string, FeatureValue>>,
  effects: readonly FeatureEffect[],
  strength: number,
  random: Random,
): Record<string, FeatureValue> {
  const out: Record<string, FeatureValue> = { ...row };
  if (strength <= 0) return out;
  for (const effect of effects) {
    const value = out[effect.feature];
    if (value === null || value === undefined) continue;
    out[effect.feature] = applyOne(effect, value, strength, random);
  }
  return out;
}

function applyOne(effect: FeatureEffect, value: FeatureValue, strength: number, random: Random): FeatureValue {
  switch (effect.kind) {
    case 'scale':
      return roundReadable((value as number) * (1 + (effect.factor - 1) * strength));
    case 'add':
      return roundReadable((value as number) + effect.delta * strength);
    case 'replace':
      return random.next() < effect.share * strength ? random.choice(effect.values) : value;
  }
}

/** Four decimals keep logged inputs readable (`12.6`, not `12.600000000000001`). */
function roundReadable(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
