import crypto from 'node:crypto';
import { TokenSet } from '../../../exporter/src/auth/token-set';

const OLD = 'old-token-0123456789abcdef';
const NEW = 'new-token-0123456789abcdef';

describe('TokenSet', () => {
  test('accepts each of its tokens, so a new one can be rolled out before the old one goes', () => {
    const tokens = new TokenSet([OLD, NEW]);
    expect(tokens.size).toBe(2);
    expect(tokens.accepts(OLD)).toBe(true);
    expect(tokens.accepts(NEW)).toBe(true);
  });

  test('refuses anything else: another token, a prefix, an extension, a different case, the empty string', () => {
    const tokens = new TokenSet([OLD]);
    for (const presented of [NEW, OLD.slice(0, -1), `${OLD}0`, OLD.toUpperCase(), ''])
      expect([presented, tokens.accepts(presented)]).toEqual([presented, false]);
  });

  test('an empty set has size 0: its scope is open', () => {
    expect(new TokenSet([]).size).toBe(0);
    expect(new TokenSet([OLD, OLD]).size).toBe(1);
  });

  test('compares in constant time: every known token is compared, with timingSafeEqual, whichever matches', () => {
    const tokens = new TokenSet([OLD, NEW, 'third-token-0123456789abcdef']);
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(tokens.accepts(OLD)).toBe(true);
      expect(compare).toHaveBeenCalledTimes(3);
      compare.mockClear();
      expect(tokens.accepts('wrong-token-0123456789abcdef')).toBe(false);
      expect(compare).toHaveBeenCalledTimes(3);
      // Digests of equal length whatever the presented token's length, so no comparison is cut short.
      for (const [a, b] of compare.mock.calls) expect([a.byteLength, b.byteLength]).toEqual([32, 32]);
    } finally {
      compare.mockRestore();
    }
  });
});
