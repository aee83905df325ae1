/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32)
 * with the distributions the demo data and the traffic simulator need.
 * The same seed always yields the same sequence, on every platform Node runs on.
 */

/** 2^-32: turns a 32-bit unsigned integer into a float in [0, 1). */
const UINT32_TO_UNIT = 1 / 4294967296;

/** Knuth's Poisson sampler multiplies uniforms until it passes e^-lambda; above this it underflows and slows down. */
const POISSON_CHUNK = 30;

/** Deterministic random source; every method consumes the stream in a fixed order. */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Box–Muller yields normals in pairs; the second is kept for the next call. */
  private spareNormal: number | null = null;

  /** Creates a generator from any 32-bit integer seed (other numbers are truncated to 32 bits). */
  constructor(seed: number) {
    // splitmix32 spreads even tiny seeds (0, 1, 2) over the whole state, which must not be all zero.
    let x = seed >>> 0;
    const nextSeed = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = nextSeed();
    this.s1 = nextSeed();
    this.s2 = nextSeed();
    this.s3 = nextSeed();
  }

  /** Next raw 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() * UINT32_TO_UNIT;
  }

  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Normal draw with the given mean and standard deviation (Box–Muller). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return mean + std * spare;
    }
    // 1 - next() lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return mean + std * radius * Math.cos(angle);
  }

  /** Lognormal draw: exp of a normal with mean `mu` and standard deviation `sigma` (the median is e^mu). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Exponential draw with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson draw with mean `lambda` (exact; cost grows linearly with lambda). */
  poisson(lambda: number): number {
    let count = 0;
    // A Poisson(a + b) is a Poisson(a) plus an independent Poisson(b): chunks keep Knuth's product representable.
    for (let remaining = lambda; remaining > 0; remaining -= POISSON_CHUNK) {
      count += this.poissonKnuth(Math.min(remaining, POISSON_CHUNK));
    }
    return count;
  }

  /** One item drawn uniformly; throws on an empty list. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('choice() needs at least one item');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Index drawn with probability proportional to its (non-negative) weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) total += weight;
    if (!(total > 0)) throw new RangeError('weightedIndex() needs a positive total weight');
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i] as number;
      if (target < 0) return i;
    }
    // Rounding can leave target at a hair above zero: the last positive weight takes it.
    return lastPositiveIndex(weights);
  }

  /** Item drawn with probability proportional to the weight at the same index. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    if (items.length !== weights.length) {
      throw new RangeError(`weighted() got ${items.length} items but ${weights.length} weights`);
    }
    return items[this.weightedIndex(weights)] as T;
  }

  /** A new generator seeded from this one: an independent stream that does not disturb later draws here. */
  fork(): Random {
    return new Random(this.nextUint32());
  }

  private poissonKnuth(lambda: number): number {
    const limit = Math.exp(-lambda);
    let product = this.next();
    let count = 0;
    while (product > limit) {
      product *= this.next();
      count++;
    }
    return count;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function lastPositiveIndex(weights: readonly number[]): number {
  for (let i = weights.length - 1; i >= 0; i--) {
    if ((weights[i] as number) > 0) return i;
  }
  return weights.length - 1;
}
