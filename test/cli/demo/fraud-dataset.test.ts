import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  DEVICE_TYPES,
  FRAUD_CLASSES,
  FRAUD_FEATURES,
  MERCHANT_CATEGORIES,
  PAYMENT_METHODS,
  drawFraudExample,
  generateFraudRows,
  type FraudExample,
} from '../../../cli/src/demo/fraud-dataset';
import { Random } from '../../../cli/src/demo/random';
import { REPO_ROOT } from '../../support/demo-spec';

interface RawFeature {
  name: string;
  type: string;
  nullable?: boolean;
  categories?: string[];
}

/** The demo model as written in mlwatch.yaml, read raw so that this test does not depend on the schema. */
function demoModelInSpec(): { classes: string[]; features: RawFeature[] } {
  const spec = yaml.load(readFileSync(path.join(REPO_ROOT, 'mlwatch.yaml'), 'utf8')) as {
    models: { name: string; classes: string[]; features: RawFeature[] }[];
  };
  const model = spec.models.find((m) => m.name === 'fraud');
  if (model === undefined) throw new Error('mlwatch.yaml has no fraud model');
  return model;
}

function share(rows: readonly FraudExample[], predicate: (row: FraudExample) => boolean): number {
  return rows.filter(predicate).length / rows.length;
}

const rows = generateFraudRows(20_000, 11);

describe('generateFraudRows', () => {
  test('the same seed gives the same rows and another seed different ones', () => {
    expect(generateFraudRows(200, 5)).toEqual(generateFraudRows(200, 5));
    expect(generateFraudRows(200, 5)).not.toEqual(generateFraudRows(200, 6));
  });

  test('rows are draws from one stream, so the simulator can keep drawing where a sample stopped', () => {
    const random = new Random(5);
    const drawn = Array.from({ length: 50 }, () => drawFraudExample(random));
    expect(drawn).toEqual(generateFraudRows(50, 5));
  });

  test('the feature names, categories and classes are those of mlwatch.yaml, in its order', () => {
    const model = demoModelInSpec();
    expect(model.features.map((f) => f.name)).toEqual([...FRAUD_FEATURES]);
    expect(model.classes).toEqual([...FRAUD_CLASSES]);
    const categories = Object.fromEntries(
      model.features.filter((f) => f.type === 'categorical').map((f) => [f.name, f.categories]),
    );
    expect(categories).toEqual({
      merchant_category: [...MERCHANT_CATEGORIES],
      payment_method: [...PAYMENT_METHODS],
      device_type: [...DEVICE_TYPES],
    });
    expect(model.features.filter((f) => f.nullable === true).map((f) => f.name)).toEqual(['credit_score']);
  });

  test('every row has exactly the spec features with values of the right type and range', () => {
    // Collecting problems keeps 20,000 rows fast and names the first bad row and field.
    const problems = rows.flatMap((row, index) => rowProblems(row).map((problem) => `row ${index}: ${problem}`));
    expect(problems.slice(0, 5)).toEqual([]);
  });

  test('the fraud rate is between 3% and 5%', () => {
    const rate = share(rows, (r) => r.label === 1);
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.05);
  });

  test('about 8% of credit scores are missing, far more often for accounts younger than 90 days', () => {
    expect(share(rows, (r) => r.features.credit_score === null)).toBeGreaterThan(0.06);
    expect(share(rows, (r) => r.features.credit_score === null)).toBeLessThan(0.1);
    const young = rows.filter((r) => r.features.account_age_days < 90);
    const old = rows.filter((r) => r.features.account_age_days >= 90);
    expect(share(young, (r) => r.features.credit_score === null)).toBeGreaterThan(
      3 * share(old, (r) => r.features.credit_score === null),
    );
  });

  test('every hour and every category occurs, with busier days than nights', () => {
    const hours = new Set(rows.map((r) => r.features.hour_of_day));
    expect(hours.size).toBe(24);
    expect(share(rows, (r) => r.features.hour_of_day === 12)).toBeGreaterThan(
      4 * share(rows, (r) => r.features.hour_of_day === 3),
    );
    for (const category of MERCHANT_CATEGORIES)
      expect(share(rows, (r) => r.features.merchant_category === category)).toBeGreaterThan(0.02);
    for (const method of PAYMENT_METHODS)
      expect(share(rows, (r) => r.features.payment_method === method)).toBeGreaterThan(0.02);
    for (const device of DEVICE_TYPES)
      expect(share(rows, (r) => r.features.device_type === device)).toBeGreaterThan(0.02);
  });

  test('amounts are right-skewed and track the 30-day average', () => {
    const amounts = rows.map((r) => r.features.amount).sort((a, b) => a - b);
    const median = amounts[amounts.length / 2] as number;
    const mean = amounts.reduce((s, v) => s + v, 0) / amounts.length;
    expect(mean).toBeGreaterThan(1.3 * median);
    const logs = rows.map((r) => [Math.log(r.features.amount), Math.log(r.features.avg_amount_30d)] as const);
    expect(correlation(logs)).toBeGreaterThan(0.3);
  });

  test('fraud is more common at night, on manual entry and on young accounts', () => {
    const rate = (predicate: (row: FraudExample) => boolean): number =>
      share(rows.filter(predicate), (r) => r.label === 1);
    expect(rate((r) => r.features.hour_of_day <= 4)).toBeGreaterThan(
      2 * rate((r) => r.features.hour_of_day >= 9 && r.features.hour_of_day <= 20),
    );
    expect(rate((r) => r.features.payment_method === 'manual_entry')).toBeGreaterThan(
      3 * rate((r) => r.features.payment_method === 'chip'),
    );
    expect(rate((r) => r.features.account_age_days < 30)).toBeGreaterThan(
      2 * rate((r) => r.features.account_age_days > 365),
    );
  });

  test('a shift scales amounts and distances and can raise the fraud rate', () => {
    const base = generateFraudRows(5_000, 3);
    const shifted = generateFraudRows(5_000, 3, { amountFactor: 2, distanceFactor: 3, fraudLogOddsShift: 1.5 });
    const total = (list: readonly FraudExample[], key: 'amount' | 'distance_from_home_km'): number =>
      list.reduce((s, r) => s + r.features[key], 0);
    expect(total(shifted, 'amount') / total(base, 'amount')).toBeCloseTo(2, 1);
    expect(total(shifted, 'distance_from_home_km') / total(base, 'distance_from_home_km')).toBeCloseTo(3, 1);
    expect(share(shifted, (r) => r.label === 1)).toBeGreaterThan(2.5 * share(base, (r) => r.label === 1));
  });
});

function rowProblems({ features: f, label }: FraudExample): string[] {
  const checks: [string, boolean][] = [
    ['feature names', Object.keys(f).join() === FRAUD_FEATURES.join()],
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the type says 0 | 1; this checks the generated value is
    ['label', label === 0 || label === 1],
    ['amount', f.amount > 0],
    ['avg_amount_30d', f.avg_amount_30d > 0],
    ['transactions_24h', Number.isInteger(f.transactions_24h) && f.transactions_24h >= 0],
    ['account_age_days', Number.isInteger(f.account_age_days) && f.account_age_days >= 0],
    ['distance_from_home_km', f.distance_from_home_km >= 0],
    ['hour_of_day', Number.isInteger(f.hour_of_day) && f.hour_of_day >= 0 && f.hour_of_day <= 23],
    [
      'credit_score',
      f.credit_score === null || (Number.isInteger(f.credit_score) && f.credit_score >= 300 && f.credit_score <= 850),
    ],
    ['merchant_category', (MERCHANT_CATEGORIES as readonly string[]).includes(f.merchant_category)],
    ['payment_method', (PAYMENT_METHODS as readonly string[]).includes(f.payment_method)],
    ['device_type', (DEVICE_TYPES as readonly string[]).includes(f.device_type)],
  ];
  return checks.filter(([, ok]) => !ok).map(([field]) => `bad ${field} in ${JSON.stringify(f)}`);
}

function correlation(pairs: readonly (readonly [number, number])[]): number {
  const n = pairs.length;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
