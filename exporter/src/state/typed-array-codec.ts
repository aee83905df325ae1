/**
 * Typed arrays in a JSON snapshot as base64 of their little-endian bytes: a 2,000-event window
 * column is 21 KB of text instead of about 40 KB of decimals, and NaN survives the trip.
 */
import { SnapshotFormatError } from './state-section';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of `values` as base64, little-endian on every platform. */
export function encodeFloat64(values: Float64Array): string {
  return encode(values, 8);
}

/** The bytes of `values` as base64, little-endian on every platform. */
export function encodeInt32(values: Int32Array): string {
  return encode(values, 4);
}

/** The bytes of `values` as base64, little-endian on every platform. */
export function encodeFloat32(values: Float32Array): string {
  return encode(values, 4);
}

/** The bytes of `values` as base64 (one byte a value: no byte order). */
export function encodeUint8(values: Uint8Array): string {
  return encode(values, 1);
}

/** A Float64Array of `length` values from {@link encodeFloat64}'s text; throws naming `where` on a bad length. */
export function decodeFloat64(text: string, length: number, where: string): Float64Array {
  return new Float64Array(decode(text, length * 8, 8, where).buffer);
}

/** A Float32Array of `length` values from {@link encodeFloat32}'s text; throws naming `where` on a bad length. */
export function decodeFloat32(text: string, length: number, where: string): Float32Array {
  return new Float32Array(decode(text, length * 4, 4, where).buffer);
}

/** An Int32Array of `length` values from {@link encodeInt32}'s text; throws naming `where` on a bad length. */
export function decodeInt32(text: string, length: number, where: string): Int32Array {
  return new Int32Array(decode(text, length * 4, 4, where).buffer);
}

/** A Uint8Array of `length` values from {@link encodeUint8}'s text; throws naming `where` on a bad length. */
export function decodeUint8(text: string, length: number, where: string): Uint8Array {
  return decode(text, length, 1, where);
}

function encode(values: Float64Array | Float32Array | Int32Array | Uint8Array, width: number): string {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (LITTLE_ENDIAN || width === 1) return bytes.toString('base64');
  const copy = Buffer.from(bytes);
  swap(copy, width);
  return copy.toString('base64');
}

function decode(text: string, byteLength: number, width: number, where: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== byteLength)
    throw new SnapshotFormatError(`${where}: expected ${byteLength} bytes of base64, got ${bytes.length}`);
  // A fresh, aligned buffer: Buffer.from may return a slice of a shared pool at any offset.
  const aligned = new Uint8Array(byteLength);
  aligned.set(bytes);
  if (!LITTLE_ENDIAN && width > 1) swap(aligned, width);
  return aligned;
}

function swap(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}
