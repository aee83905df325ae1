import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { alertingContext } from '../../../alerting/src/alerting-context';
import { ALERT_DEFINITIONS } from '../../../alerting/src/alerts';
import { generateAlerting } from '../../../alerting/src/generate-alerting';
import { generationProfile, type ProfileName } from '../../../alerting/src/generation-profile';
import { ruleGroups } from '../../../alerting/src/rule-groups';
import {
  COVERAGE,
  ESTIMATED_QUALITY,
  LABELLED_ESTIMATED_ACCURACY,
  LABELLED_QUALITY,
  QUALITY_FIXTURE_TABLES,
  REGRESSION_QUALITY as HAND_REGRESSION,
} from '../../../alerting/src/rule-tests/quality-case';
import type { AlertingRule, RecordingRule, RuleGroup } from '../../../alerting/src/rules/rule-types';
import { writeGenerated } from '../../../alerting/src/write-generated';
import { ALERTS, RECORDS } from '../../../spec/src/conventions';
import type { LoadedSpec } from '../../../spec/src/load-spec';
import { SpecError } from '../../../spec/src/spec-error';
import { RegressionErrorSums, classificationQuality } from '../../../drift/src/quality/quality-metrics';
import { loadEditedDemoSpec, removeAllQuality } from '../../support/demo-spec';
import { arrayAt, objectAt } from '../../support/document';
import { REGRESSION_MODEL, withRegressionModel } from '../../support/quality-spec';
import { TOOLS, describeWithTools } from '../../support/real-tools';

const QUALITY_ALERTS: readonly string[] = [
  ALERTS.accuracyLow,
  ALERTS.classRecallLow,
  ALERTS.regressionErrorHigh,
  ALERTS.labelCoverageLow,
  ALERTS.estimatedAccuracyLow,
  ALERTS.estimateDivergence,
];

function groupsOf(loaded: LoadedSpec, profile: ProfileName = 'production'): RuleGroup[] {
  return ruleGroups(alertingContext(loaded.spec, generationProfile(profile, loaded.spec)), ALERT_DEFINITIONS);
}
const alerts = (groups: RuleGroup[]) => groups.flatMap((g) => g.rules).filter((r): r is AlertingRule => 'alert' in r);
const records = (groups: RuleGroup[]) =>
  groups.flatMap((g) => g.rules).filter((r): r is RecordingRule => 'record' in r);
const fraudQuality = (s: Record<string, unknown>) => objectAt(s, 'models', 0, 'quality');

describe('the hand-computed values the promtool cases state', () => {
  const sum = ([a, b]: readonly [number, number]) => a + b;
  const matrix = (table: typeof QUALITY_FIXTURE_TABLES.LABELLED) => ({
    classes: ['a', 'b'],
    counts: [
      [sum(table.aa), sum(table.ab)],
      [sum(table.ba), sum(table.bb)],
    ],
  });

  test('realised quality equals the quality library on the fleet-summed confusion matrix', () => {
    const q = classificationQuality(matrix(QUALITY_FIXTURE_TABLES.LABELLED));
    expect(q.count).toBe(LABELLED_QUALITY.labels);
    expect(q.accuracy).toBeCloseTo(LABELLED_QUALITY.accuracy, 12);
    expect(q.accuracy).toBeCloseTo(0.93, 12);
    expect(q.classes.map((c) => c.precision)).toEqual([LABELLED_QUALITY.precision.a, LABELLED_QUALITY.precision.b]);
    expect(q.classes.map((c) => c.recall)).toEqual([LABELLED_QUALITY.recall.a, LABELLED_QUALITY.recall.b]);
    q.classes.forEach((c, i) =>
      expect(c.f1).toBeCloseTo([LABELLED_QUALITY.f1.a, LABELLED_QUALITY.f1.b][i] as number, 12),
    );
    expect(q.macroF1).toBeCloseTo(LABELLED_QUALITY.macroF1, 12);
    expect(COVERAGE).toBe(LABELLED_QUALITY.labels / sum(QUALITY_FIXTURE_TABLES.PREDICTIONS));
  });

  test('estimated quality equals the quality library on the expected counts, and labelled-estimated accuracy on theirs', () => {
    const e = classificationQuality(matrix(QUALITY_FIXTURE_TABLES.EXPECTED));
    expect(e.count).toBe(800);
    expect(e.accuracy).toBeCloseTo(ESTIMATED_QUALITY.accuracy, 12);
    e.classes.forEach((c, i) => {
      expect(c.precision).toBeCloseTo([ESTIMATED_QUALITY.precision.a, ESTIMATED_QUALITY.precision.b][i] as number, 12);
      expect(c.recall).toBeCloseTo([ESTIMATED_QUALITY.recall.a, ESTIMATED_QUALITY.recall.b][i] as number, 12);
      expect(c.f1).toBeCloseTo([ESTIMATED_QUALITY.f1.a, ESTIMATED_QUALITY.f1.b][i] as number, 12);
    });
    expect(classificationQuality(matrix(QUALITY_FIXTURE_TABLES.LABELLED_EXPECTED)).accuracy).toBeCloseTo(
      LABELLED_ESTIMATED_ACCURACY,
      12,
    );
  });

  test('MAE and RMSE equal the quality library on the summed error sums, not the mean of the replicas', () => {
    const { count, absolute, squared } = QUALITY_FIXTURE_TABLES.ERRORS;
    const sums = Object.assign(new RegressionErrorSums(), {
      count: sum(count),
      absoluteSum: sum(absolute),
      squaredSum: sum(squared),
    });
    expect(sums.quality()).toEqual({
      count: HAND_REGRESSION.labels,
      mae: HAND_REGRESSION.mae,
      rmse: HAND_REGRESSION.rmse,
    });
    expect((absolute[0] / count[0] + absolute[1] / count[1]) / 2).not.toBeCloseTo(HAND_REGRESSION.mae, 3);
  });
});

describe('quality rules and alerts are generated from the spec', () => {
  test('a spec without quality sections gets no quality rules and no quality alerts', () => {
    const groups = groupsOf(loadEditedDemoSpec(removeAllQuality));
    expect(groups.map((g) => g.name).filter((n) => n.includes('quality'))).toEqual([]);
    expect(alerts(groups).filter((r) => QUALITY_ALERTS.includes(r.alert))).toEqual([]);
  });

  test('each alert appears only where its threshold is set, once per model, with that model and its threshold', () => {
    const all = alerts(groupsOf(withRegressionModel()));
    expect([...new Set(all.map((r) => r.alert))].filter((a) => QUALITY_ALERTS.includes(a)).sort()).toEqual(
      [...QUALITY_ALERTS].sort(),
    );
    const onlyCoverage = alerts(
      groupsOf(
        withRegressionModel((s) => {
          const q = fraudQuality(s);
          delete q['accuracy_floor'];
          delete q['estimated_accuracy_floor'];
          delete q['max_estimate_gap'];
          delete q['protected_classes'];
          const regression = objectAt(arrayAt(s, 'models')[1], 'quality');
          delete regression['mae_ceiling'];
        }),
      ),
    ).filter((r) => QUALITY_ALERTS.includes(r.alert));
    expect(onlyCoverage.map((r) => `${r.alert} ${r.labels['model']} ${r.for}`)).toEqual([
      `${ALERTS.regressionErrorHigh} ${REGRESSION_MODEL} 15m`,
      `${ALERTS.labelCoverageLow} fraud 10m`,
      `${ALERTS.labelCoverageLow} ${REGRESSION_MODEL} 5m`,
    ]);
    const regression = onlyCoverage[0] as AlertingRule;
    expect(regression.expr).toContain('rms_increase30m{model="basket_value"} > 20');
    expect(regression.expr).not.toContain('mean_increase');
  });

  test('a threshold moved in the spec moves in the rule', () => {
    const expr = (floor: number) =>
      alerts(groupsOf(loadEditedDemoSpec((s) => (fraudQuality(s)['accuracy_floor'] = floor)))).find(
        (r) => r.alert === ALERTS.accuracyLow,
      )?.expr;
    expect(expr(0.9)).toContain('< 0.9\n');
    expect(expr(0.713)).toContain('< 0.713\n');
  });

  test('every class of a multiclass model gets its diagonal, precision, recall and F1', () => {
    const loaded = withRegressionModel((s) => {
      arrayAt(s, 'models').push({
        name: 'triage',
        task: 'multiclass_classification',
        classes: ['low', 'mid', 'high'],
        versions: [{ name: 't1', weight: 1 }],
        features: [{ name: 'x', type: 'numeric' }],
        quality: { windows_seconds: [3600] },
      });
    });
    const triage = groupsOf(loaded).find((g) => g.name === 'mlwatch-quality-recording-triage');
    const diagonal = triage?.rules.find((r) => 'record' in r && r.record === RECORDS.labelTruePositives('1h'));
    for (const c of ['low', 'mid', 'high']) {
      expect(diagonal?.expr).toContain(`predicted="${c}",actual="${c}"`);
      expect(diagonal?.expr).toContain(`"class", "${c}", "", ""`);
    }
    expect(triage?.rules.map((r) => ('record' in r ? r.record : r.alert))).toContain(RECORDS.macroF1('1h'));
  });

  test('the fast profile compresses the windows and the label delay but keeps the recording names', () => {
    const fast = records(groupsOf(withRegressionModel(), 'fast')).filter((r) => r.record.includes('label'));
    const production = records(groupsOf(withRegressionModel())).filter((r) => r.record.includes('label'));
    expect(fast.map((r) => r.record)).toEqual(production.map((r) => r.record));
    const coverage = fast.find((r) => r.record === RECORDS.labelCoverage('1h'));
    expect(coverage?.expr).toContain('[1m] offset 10s');
    expect(production.find((r) => r.record === RECORDS.labelCoverage('1h'))?.expr).toContain('[1h] offset 10m');
  });

  test('a quality window shorter than two scrapes is refused with its field named', () => {
    const loaded = loadEditedDemoSpec((s) => (fraudQuality(s)['windows_seconds'] = [90, 3600]));
    try {
      generateAlerting(loaded, { profile: 'fast' });
      throw new Error('expected a SpecError');
    } catch (error) {
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems).toEqual([
        'models[0].quality.windows_seconds[0]: models[0].quality.windows_seconds[0] (90) lasts 1s500ms in the fast profile, shorter than 2 scrapes of 1s',
      ]);
    }
  });
});

/** Runs a tool; returns its exit status and combined output. */
function run(binary: string, args: string[], cwd?: string): { status: number; output: string } {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** Generates the spec's files and keeps, in each promtool test file, only the quality cases (the rest run in real-tools.test.ts). */
function generateQualityOnly(
  loaded: LoadedSpec,
  profile: ProfileName,
): { dir: string; tests: string[]; rules: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `mlwatch-quality-${profile}-`));
  writeGenerated(dir, generateAlerting(loaded, { profile }));
  const testsDir = path.join(dir, 'prometheus', 'tests');
  const tests = readdirSync(testsDir).flatMap((file) => {
    const full = path.join(testsDir, file);
    const doc = yaml.load(readFileSync(full, 'utf8')) as { tests: { name: string }[] };
    const kept = doc.tests.filter(
      (t) =>
        QUALITY_ALERTS.some((alert) => t.name.startsWith(`${alert}:`)) ||
        /match values computed by hand \(/.test(t.name),
    );
    if (kept.length === 0) return [];
    const out = path.join(testsDir, `quality-${file}`);
    writeFileSync(out, yaml.dump({ ...doc, tests: kept }, { lineWidth: -1 }));
    return [out];
  });
  const rulesDir = path.join(dir, 'prometheus', 'rules');
  const rules = readdirSync(rulesDir)
    .filter((f) => f.includes('quality'))
    .map((f) => path.join(rulesDir, f));
  return { dir, tests, rules };
}

describeWithTools(
  [TOOLS.promtool],
  'promtool on the quality rules of a spec with a classifier and a regression model',
  () => {
    describe.each(['production', 'fast'] as const)('%s profile', (profile) => {
      const { tests, rules } = generateQualityOnly(withRegressionModel(), profile);

      test('check rules with every lint, lint errors fatal', () => {
        expect(rules.map((f) => path.basename(f)).sort()).toEqual([
          'mlwatch-quality-alerts.yml',
          `mlwatch-quality-recording-${REGRESSION_MODEL}.yml`,
          'mlwatch-quality-recording-fraud.yml',
        ]);
        const result = run(TOOLS.promtool, ['check', 'rules', '--lint=all', '--lint-fatal', ...rules]);
        expect(result.output).not.toMatch(/FAILED|error/i);
        expect(result.status).toBe(0);
      });

      test('every quality alert fires past its threshold and stays silent on the safe side and below the label minimum; every recorded value matches the hand-computed one', () => {
        const text = tests
          .flatMap((f) =>
            (yaml.load(readFileSync(f, 'utf8')) as { tests: { name: string }[] }).tests.map((t) => t.name),
          )
          .join('\n');
        for (const alert of QUALITY_ALERTS) expect(text).toContain(`${alert}: fires`);
        expect(text).toContain('match values computed by hand (fraud)');
        expect(text).toContain(`match values computed by hand (${REGRESSION_MODEL})`);
        for (const file of tests) {
          const result = run(TOOLS.promtool, ['test', 'rules', path.basename(file)], path.dirname(file));
          if (result.status !== 0) console.error(result.output);
          expect(result.status).toBe(0);
        }
      }, 240_000);
    });

    test('the cases can fail: RMSE without its square root, MAE averaged over replicas, a moved accuracy floor', () => {
      const { dir, tests } = generateQualityOnly(withRegressionModel(), 'production');
      const rulesDir = path.join(dir, 'prometheus', 'rules');
      const regression = path.join(rulesDir, `mlwatch-quality-recording-${REGRESSION_MODEL}.yml`);
      writeFileSync(
        regression,
        readFileSync(regression, 'utf8')
          .replace('sqrt(', '(')
          .replaceAll(
            'sum by (model, version) (increase(mlwatch_regression_absolute_error_sum',
            'avg by (model, version) (increase(mlwatch_regression_absolute_error_sum',
          ),
      );
      const alertsFile = path.join(rulesDir, 'mlwatch-quality-alerts.yml');
      writeFileSync(
        alertsFile,
        readFileSync(alertsFile, 'utf8').replace(
          'ratio_increase1h{model="fraud"} < 0.9\n',
          'ratio_increase1h{model="fraud"} < 0.8\n',
        ),
      );
      const output = tests
        .map((file) => run(TOOLS.promtool, ['test', 'rules', path.basename(file)], path.dirname(file)))
        .map((r) => r.output)
        .join('\n');
      expect(output).toContain(`${ALERTS.accuracyLow}: fires one label below the floor`);
      expect(output).toMatch(
        /model_version:mlwatch_regression_squared_error:rms_increase30m\{model=\\"basket_value\\"/,
      );
      expect(output).toMatch(
        /model_version:mlwatch_regression_absolute_error:mean_increase30m\{model=\\"basket_value\\"/,
      );
    }, 240_000);
  },
);
