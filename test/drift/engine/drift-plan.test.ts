import { prepareDriftPlan } from '../../../drift/src/engine/drift-plan';
import { categoricalProfile, driftConfig, numericProfile, referenceProfile } from './fixtures';

const many = Array.from({ length: 2000 }, (_, i) => i / 7);
const profile = referenceProfile('fraud', [
  numericProfile('amount', many),
  categoricalProfile('country', { fr: 1500, de: 500 }),
  numericProfile('kids', [0, 1, 2, 0, 1]),
]);
const features = [
  { name: 'amount', type: 'numeric', drift_test: 'auto' },
  { name: 'country', type: 'categorical', categories: ['fr', 'de'], drift_test: 'auto' },
  { name: 'kids', type: 'numeric', drift_test: 'ks' },
] as const;

describe('building a drift plan', () => {
  test('each feature gets its test in spec order: auto by the reference, explicit as given', () => {
    const plan = prepareDriftPlan(profile, driftConfig(), features);
    expect(plan.model).toBe('fraud');
    expect(plan.features.map((f) => [f.name, f.test, f.reference.kind])).toEqual([
      ['amount', 'wasserstein', 'numeric'],
      ['country', 'jensenshannon', 'categorical'],
      ['kids', 'ks', 'numeric'],
    ]);
    expect(plan.outputs).toEqual({});
  });

  test('a numeric-only test on a categorical feature fails when the plan is built, naming model and feature', () => {
    const bad = [{ name: 'country', type: 'categorical', categories: ['fr', 'de'], drift_test: 'anderson' }] as const;
    expect(() => prepareDriftPlan(profile, driftConfig(), bad)).toThrow(
      'model "fraud": feature "country": drift_test "anderson" needs a numeric feature',
    );
  });

  test('a feature without a reference profile is an error that says how to fix it', () => {
    expect(() =>
      prepareDriftPlan(profile, driftConfig(), [{ name: 'age', type: 'numeric', drift_test: 'auto' }]),
    ).toThrow(
      'model "fraud": feature "age" has no reference profile (the profile was built from reference.csv); rebuild it with mlwatch profile',
    );
  });

  test('a type that differs between spec and profile is an error', () => {
    expect(() =>
      prepareDriftPlan(profile, driftConfig(), [
        { name: 'amount', type: 'categorical', categories: ['x'], drift_test: 'auto' },
      ]),
    ).toThrow('model "fraud": feature "amount" is categorical in the spec but numeric in the reference profile');
  });

  test('outputs get the auto rule: predicted classes as categories, confidence as a numeric feature', () => {
    const withOutputs = referenceProfile('fraud', profile.features, {
      prediction: categoricalProfile('prediction', { legit: 900, fraud: 100 }),
      confidence: numericProfile(
        'confidence',
        many.map((x) => x / 300),
      ),
    });
    const plan = prepareDriftPlan(withOutputs, driftConfig(), features, { classes: ['legit', 'fraud'] });
    expect(plan.outputs.prediction?.test).toBe('chi2');
    expect(plan.outputs.prediction?.reference).toMatchObject({ labels: ['legit', 'fraud', '__other__'] });
    expect(plan.outputs.confidence?.test).toBe('wasserstein');
  });

  test('a regression output is a numeric prediction profile', () => {
    const regression = referenceProfile('price', [numericProfile('area', many)], {
      prediction: numericProfile('prediction', many.slice(0, 500)),
    });
    const plan = prepareDriftPlan(regression, driftConfig(), [{ name: 'area', type: 'numeric', drift_test: 'auto' }]);
    expect(plan.outputs.prediction?.test).toBe('ks');
    expect(plan.outputs.confidence).toBeUndefined();
  });

  test('predicted-class counts without the model classes are an error at build time', () => {
    const withOutputs = referenceProfile('fraud', profile.features, {
      prediction: categoricalProfile('prediction', { legit: 9, fraud: 1 }),
    });
    expect(() => prepareDriftPlan(withOutputs, driftConfig(), features)).toThrow(
      'model "fraud": the reference profile has predicted-class counts, so prediction drift needs the model\'s classes',
    );
  });
});
