import type { OutcomesSpec } from '../../../spec/src/schema';
import { outcomesSchema } from '../../../spec/src/schema';
import { Random } from '../../../cli/src/demo/random';
import {
  GENERIC_CONVERSION,
  GENERIC_OTHER_EVENT,
  genericBusinessModel,
} from '../../../cli/src/simulator/business-model';

const spec: OutcomesSpec = outcomesSchema.parse({
  events: { click: { value: false }, purchase: { value: true, currency: 'EUR' } },
  conversion_event: 'purchase',
});
const N = 20_000;
const band = (p: number): number => 4 * Math.sqrt((p * (1 - p)) / N);

describe('the generic business model (a model with outcomes nobody described)', () => {
  const business = genericBusinessModel(spec);
  const draw = (conversion: number, seed: number) => {
    const random = new Random(seed);
    return Array.from({ length: N }, () => business.outcomes({ features: {}, predicted: 'x' }, conversion, random));
  };

  test('its conversion event happens with the generic chance times the factor, with a positive value; the others with their own chance and no value', () => {
    const all = draw(1, 1);
    const purchases = all.flat().filter((o) => o.event === 'purchase');
    const clicks = all.flat().filter((o) => o.event === 'click');
    expect(Math.abs(purchases.length / N - GENERIC_CONVERSION)).toBeLessThanOrEqual(band(GENERIC_CONVERSION));
    expect(Math.abs(clicks.length / N - GENERIC_OTHER_EVENT)).toBeLessThanOrEqual(band(GENERIC_OTHER_EVENT));
    expect(purchases.every((o) => o.value !== undefined && o.value > 0 && Number.isFinite(o.value))).toBe(true);
    expect(clicks.every((o) => o.value === undefined)).toBe(true);
    expect(all.flat().every((o) => o.lag > 0 && o.lag <= 1)).toBe(true);
    const halved =
      draw(0.5, 2)
        .flat()
        .filter((o) => o.event === 'purchase').length / N;
    expect(Math.abs(halved - GENERIC_CONVERSION / 2)).toBeLessThanOrEqual(band(GENERIC_CONVERSION / 2));
  });
});
