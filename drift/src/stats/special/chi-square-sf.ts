import { regularizedGammaQ } from './incomplete-gamma';

/** Survival function P(X >= x) of the chi-square distribution with `dof` > 0 degrees of freedom (SciPy's chi2.sf). */
export function chiSquareSf(x: number, dof: number): number {
  if (!(dof > 0)) throw new RangeError(`chiSquareSf: dof must be > 0 (got ${dof})`);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSf: x is NaN');
  if (x <= 0) return 1;
  // chi2.sf(x, k) = Q(k/2, x/2), as in Cephes chdtrc.
  return regularizedGammaQ(dof / 2, x / 2);
}
