/**
 * Parsing of the commonest numeric cells (`-12`, `3.25`, `.5`) straight from the file's bytes,
 * without making a string, for the plain CSV reader.
 */

/** Most digits whose integer is exact in a double (10^15 < 2^53). */
const MAX_DIGITS = 15;

/** 10^k for k <= MAX_DIGITS; every one is exact in a double. */
const POWERS_OF_TEN = Float64Array.from({ length: MAX_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * The value of `bytes[start, end)` when it is an optional `-`, then at most 15 digits with at
 * most one `.` among or around them; undefined for anything else (exponents, `+`, spaces,
 * more digits), which the caller must read with `Number()`. The result equals `Number(text)`:
 * both the digits and the power of ten are exact doubles, and IEEE division rounds correctly.
 */
export function simpleDecimal(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  const negative = bytes[i] === 0x2d; // -
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; i < end; i++) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digits++;
    } else if (digit === -2 /* . */ && point < 0) point = i;
    else return undefined;
  }
  if (digits === 0 || digits > MAX_DIGITS) return undefined;
  const scale = point < 0 ? 0 : end - point - 1;
  const value = scale === 0 ? mantissa : mantissa / (POWERS_OF_TEN[scale] as number);
  return negative ? -value : value;
}
