/**
 * Synthetic features for the drift benchmark: numeric features cycle through normal,
 * lognormal and gamma shapes with varied parameters, categorical ones through skewed
 * category weights. Each can be drawn as the reference has it or shifted, from the seeded
 * demo generator, so every run sees the same data.
 */
import { Random } from '../../cli/src/demo/random';

/** The shapes numeric features take, in the order they cycle. */
export type NumericFamily = 'normal' | 'lognormal' | 'gamma';
const FAMILIES: readonly NumericFamily[] = ['normal', 'lognormal', 'gamma'];

/** One numeric feature's distribution: `a` and `b` are (mean, std), (mu, sigma) or (shape, scale). */
export interface NumericShape {
  readonly name: string;
  readonly family: NumericFamily;
  readonly a: number;
  readonly b: number;
}

/** One categorical feature: its categories and their reference weights. */
export interface CategoricalShape {
  readonly name: string;
  readonly categories: readonly string[];
  readonly weights: readonly number[];
}

/** Categories per synthetic categorical feature: a typical low-cardinality field. */
const CATEGORY_COUNT = 8;

/** The numeric feature at `index` (`x000`, `x001`, …): its family cycles, its parameters vary with the index. */
export function numericShape(index: number): NumericShape {
  const family = FAMILIES[index % FAMILIES.length] as NumericFamily;
  const k = 1 + (index % 7);
  const name = `x${String(index).padStart(3, '0')}`;
  if (family === 'normal') return { name, family, a: 10 * k, b: k };
  if (family === 'lognormal') return { name, family, a: 1 + 0.3 * k, b: 0.4 + 0.05 * k };
  return { name, family, a: 0.8 + 0.5 * k, b: 2 + k };
}

/** The categorical feature at `index` (`c00`, `c01`, …) with geometric-ish weights, so shares differ. */
export function categoricalShape(index: number): CategoricalShape {
  const categories = Array.from({ length: CATEGORY_COUNT }, (_, i) => `cat_${i}`);
  const weights = categories.map((_, i) => CATEGORY_COUNT - i + (index % 3));
  return { name: `c${String(index).padStart(2, '0')}`, categories, weights };
}

/**
 * One draw of a numeric feature; `shift` moves it by about that many standard deviations
 * (normal: the mean; lognormal: mu in units of sigma; gamma: the scale by the same factor).
 */
export function drawNumeric(r: Random, shape: NumericShape, shift = 0): number {
  if (shape.family === 'normal') return r.normal(shape.a + shift * shape.b, shape.b);
  if (shape.family === 'lognormal') return r.lognormal(shape.a + shift * shape.b, shape.b);
  return gamma(r, shape.a) * shape.b * (1 + shift / Math.sqrt(shape.a));
}

/** One category; `shift` moves that share of the weight from the commonest category to the rarest. */
export function drawCategory(r: Random, shape: CategoricalShape, shift = 0): string {
  if (shift > 0 && r.bernoulli(shift)) return shape.categories[shape.categories.length - 1] as string;
  return r.weighted(shape.categories, shape.weights);
}

/** `n` draws of one numeric feature from its own seeded stream. */
export function numericColumn(shape: NumericShape, n: number, seed: number, shift = 0): Float64Array {
  const r = new Random(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = drawNumeric(r, shape, shift);
  return out;
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 use the boost X·U^(1/shape). */
function gamma(r: Random, shape: number): number {
  if (shape < 1) return gamma(r, shape + 1) * Math.pow(1 - r.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = r.normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - r.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
