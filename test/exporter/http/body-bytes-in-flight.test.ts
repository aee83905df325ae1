import { BodyBytesInFlight } from '../../../exporter/src/http/body-bytes-in-flight';

describe('BodyBytesInFlight', () => {
  test('reserves up to the cap, refuses past it, and takes bodies again once bytes are released', () => {
    const inFlight = new BodyBytesInFlight(100, 50);
    expect(inFlight.tryReserve(40)).toBe(true);
    expect(inFlight.tryReserve(40)).toBe(true);
    expect(inFlight.tryReserve(30)).toBe(false);
    expect(inFlight.bytes).toBe(80);
    inFlight.release(40);
    expect(inFlight.tryReserve(30)).toBe(true);
    expect(inFlight.bytes).toBe(70);
  });

  test('large bodies leave a quarter of the cap to small ones, so a flood of large bodies cannot shut out predicts', () => {
    const inFlight = new BodyBytesInFlight(400, 10);
    expect(inFlight.tryReserve(200)).toBe(true);
    expect(inFlight.tryReserve(100)).toBe(true);
    expect(inFlight.tryReserve(20)).toBe(false);
    for (let i = 0; i < 10; i++) expect(inFlight.tryReserve(10)).toBe(true);
    expect(inFlight.tryReserve(1)).toBe(false);
  });

  test('one large body alone may take the whole cap, so the largest allowed body is never refused on an idle exporter', () => {
    const inFlight = new BodyBytesInFlight(400, 10);
    expect(inFlight.tryReserve(400)).toBe(true);
    inFlight.release(400);
    expect(inFlight.bytes).toBe(0);
  });
});
