/**
 * Copies a sample into a Float64Array sorted ascending, after checking that it is non-empty and finite;
 * `where` names the caller and argument in error messages (e.g. `wasserstein(a)`).
 */
export function sortedSample(values: ArrayLike<number>, where: string, minLength = 1): Float64Array {
  requireFiniteSample(values, where, minLength);
  // Typed-array sort is numeric and allocation-free, unlike Array.prototype.sort.
  return Float64Array.from(values).sort();
}

/** The checks of {@link sortedSample} without the copy: at least `minLength` values, all finite; `where` names the sample. */
export function requireFiniteSample(values: ArrayLike<number>, where: string, minLength = 1): void {
  requireSampleSize(values, where, minLength);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    // NaN would sort last and infinities make ECDF integrals undefined: both are upstream bugs.
    if (!Number.isFinite(v)) throw new RangeError(`${where}: value at index ${i} is not a finite number (got ${v})`);
  }
}

/** Checks that a sample holds at least `minLength` values; `where` names it. */
export function requireSampleSize(values: ArrayLike<number>, where: string, minLength: number): void {
  if (values.length < minLength) {
    throw new RangeError(
      `${where}: needs at least ${minLength} observation${minLength === 1 ? '' : 's'}, got ${values.length}`,
    );
  }
}

/** Checks that every entry of a count or proportion vector is a finite number >= 0; `where` names the argument. */
export function requireNonNegative(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0) || v === Infinity)
      throw new RangeError(`${where}: entry ${i} must be a finite number >= 0 (got ${v})`);
  }
}
