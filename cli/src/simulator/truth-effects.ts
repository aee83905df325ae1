import type { Random } from '../demo/random';
import type { GroundTruth, Truth } from './ground-truth';
import type { TruthEffect } from './scenarios';

/** Keeps the effects that fit the truth's kind: flips for class labels, distortions for values. */
export function compileTruthEffects(effects: readonly TruthEffect[], kind: GroundTruth['kind']): TruthEffect[] {
  return effects.filter((effect) => (effect.kind === 'flip') === (kind === 'class'));
}

/**
 * Applies effects at `strength` (0 to 1) to a truth: a flip names another of `classes` (a
 * random one), a distortion scales the value and adds normal noise in proportion to its size.
 */
export function applyTruthEffects(
  truth: Truth,
  effects: readonly TruthEffect[],
  strength: number,
  classes: readonly string[],
  random: Random,
): Truth {
  if (strength <= 0) return truth;
  let out = truth;
  for (const effect of effects) {
    if (effect.kind === 'flip' && typeof out === 'string') {
      if (random.next() < effect.share * strength) out = random.choice(classes.filter((c) => c !== out));
    } else if (effect.kind === 'distort' && typeof out === 'number') {
      const size = Math.abs(out);
      out = out * (1 + effect.bias * strength) + random.normal(0, effect.noise * strength * size);
    }
  }
  return out;
}
