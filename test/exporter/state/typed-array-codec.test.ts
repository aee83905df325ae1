import { SnapshotFormatError } from '../../../exporter/src/state/state-section';
import { decodeUint8, encodeUint8 } from '../../../exporter/src/state/typed-array-codec';

describe('the typed-array codec', () => {
  test('bytes round-trip through base64, from a view at an offset too, and a wrong length is refused naming the field', () => {
    const whole = Uint8Array.from([9, 0, 1, 16, 253, 254, 255, 7]);
    const view = whole.subarray(1, 7);
    const text = encodeUint8(view);
    expect(text).toBe(Buffer.from([0, 1, 16, 253, 254, 255]).toString('base64'));
    expect(decodeUint8(text, 6, 'k')).toEqual(Uint8Array.from([0, 1, 16, 253, 254, 255]));
    expect(decodeUint8(encodeUint8(new Uint8Array(0)), 0, 'k')).toEqual(new Uint8Array(0));
    expect(() => decodeUint8(text, 7, 'recent_ids.id_kinds')).toThrow(SnapshotFormatError);
    expect(() => decodeUint8(text, 7, 'recent_ids.id_kinds')).toThrow(
      'recent_ids.id_kinds: expected 7 bytes of base64, got 6',
    );
  });
});
