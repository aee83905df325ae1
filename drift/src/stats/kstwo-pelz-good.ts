/**
 * Pelz–Good asymptotic expansion of the two-sided one-sample KS CDF, used by
 * SciPy for large n when neither Durbin's matrix nor the Smirnov tail applies.
 */
import { clipProbability } from './kstwo-scale';

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
/** exp() of anything below this is 0 in SciPy's cut-off. */
const MIN_LOG = -708;

// Pelz & Good (1976), JRSS B 38(2): P(D_n <= x) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5,
// z = x√n, with each K_i rewritten through Jacobi theta identities as sums over q^((2k-1)²).
/** P(D_n <= x) by the Pelz–Good expansion (accurate for large n, small n·x²). */
export function kstwoCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  const maxk = Math.ceil((16 * z) / Math.PI);
  const k = oddSums(z, z2, z4, z6, Math.exp(qlog), maxk);
  // The remaining integer-k sums of K2 and K3 have little cancellation; sum them directly.
  const q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let j = maxk; j >= 1; j--) {
    const jsq = j * j;
    const qp = q ** jsq;
    k2extra += jsq * qp;
    const jpi = Math.PI * j;
    k3extra += (sqrt3z + jpi) * (sqrt3z - jpi) * jsq * qp;
  }
  k[2] += k2extra * ((PI2 * SQRT_2PI) / (-36 * z ** 3));
  k[3] += k3extra * ((PI2 * SQRT_2PI) / (216 * z6));
  const sum = k[0] + k[1] / Math.sqrt(n) + k[2] / n + k[3] / n ** 1.5;
  return clipProbability(sum);
}

/** K0..K3 from the odd-index theta sums, by Horner's scheme in q^8k. */
function oddSums(
  z: number,
  z2: number,
  z4: number,
  z6: number,
  q: number,
  maxk: number,
): [number, number, number, number] {
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = Math.pow(q, 8 * k);
    s0 = s0 * qpower + 1;
    s1 = s1 * qpower + (k1a + k1b * m2);
    s2 = s2 * qpower + (k2a + k2b * m2 + k2c * m4);
    s3 = s3 * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const c = q * SQRT_2PI;
  return [(s0 * c) / z, (s1 * c) / (6 * z4), (s2 * c) / (72 * z ** 7), (s3 * c) / (6480 * z ** 10)];
}
