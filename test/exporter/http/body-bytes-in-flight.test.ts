import { BodyBytesInFlight } from '../../../exporter/src/http/body-bytes-in-flight';

describe('BodyBytesInFlight', () => {
  test('reserves up to the cap, refuses past it, and takes bodies again once bytes are released', () => {
    const inFlight = new BodyBytesInFlight(100);
    expect(inFlight.tryReserve(60)).toBe(true);
    expect(inFlight.tryReserve(40)).toBe(true);
    expect(inFlight.tryReserve(1)).toBe(false);
    expect(inFlight.bytes).toBe(100);
    inFlight.release(60);
    expect(inFlight.tryReserve(50)).toBe(true);
    expect(inFlight.bytes).toBe(90);
  });
});
