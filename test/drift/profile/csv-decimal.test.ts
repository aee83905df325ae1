import fc from 'fast-check';
import { simpleDecimal } from '../../../drift/src/profile/csv-decimal';

function parse(text: string): number | undefined {
  const bytes = Buffer.from(`#${text}#`);
  return simpleDecimal(bytes, 1, bytes.length - 1);
}

describe('simpleDecimal', () => {
  test.each([
    ['0', 0],
    ['-0', -0],
    ['12', 12],
    ['-3.25', -3.25],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
    ['0.1', 0.1],
    ['123456789012345', 123456789012345],
    ['-9.99999999999999', -9.99999999999999],
  ])('reads %s as Number() does', (text, value) => {
    expect(parse(text)).toBe(value);
    expect(Object.is(parse(text), Number(text))).toBe(true);
  });

  test.each([
    [''],
    ['-'],
    ['.'],
    ['-.'],
    ['+1'],
    [' 1'],
    ['1 '],
    ['1e5'],
    ['1.2.3'],
    ['0x1F'],
    ['1,5'],
    ['1234567890123456'],
    ['NaN'],
    ['Infinity'],
    ['１'],
  ])('leaves %j to Number()', (text) => {
    expect(parse(text)).toBeUndefined();
  });

  test('whatever it reads, it reads exactly as Number() does', () => {
    const text = fc
      .array(fc.constantFrom('0', '1', '5', '9', '.', '-', 'e', '+', ' '), { maxLength: 20 })
      .map((chars) => chars.join(''));
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 15 }))
      .map(([negative, digits, scale]) => {
        const padded = digits.toString().padStart(scale + 1, '0');
        return `${negative ? '-' : ''}${padded.slice(0, padded.length - scale)}${scale > 0 ? `.${padded.slice(padded.length - scale)}` : ''}`;
      });
    fc.assert(
      fc.property(fc.oneof(text, decimal), (input) => {
        const value = parse(input);
        if (value !== undefined) expect(Object.is(value, Number(input))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // Every decimal of up to 15 digits is read here, not left to Number().
    fc.assert(fc.property(decimal, (input) => input.replace(/[-.]/g, '').length > 15 || parse(input) !== undefined));
  });
});
