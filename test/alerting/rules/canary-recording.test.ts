import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertingContext } from '../../../alerting/src/alerting-context';
import { ALERT_DEFINITIONS } from '../../../alerting/src/alerts';
import { twoProportionZ } from '../../../alerting/src/alerts/canary-cases';
import { generateAlerting } from '../../../alerting/src/generate-alerting';
import { generationProfile, type ProfileName } from '../../../alerting/src/generation-profile';
import { ruleGroups } from '../../../alerting/src/rule-groups';
import { CANARY_FIXTURE, LATENCY_P99_RATIO, canaryProportions } from '../../../alerting/src/rule-tests/canary-case';
import { criticalZ } from '../../../alerting/src/canary-critical-z';
import type { AlertingRule, RecordingRule, RuleGroup } from '../../../alerting/src/rules/rule-types';
import { writeGenerated } from '../../../alerting/src/write-generated';
import { ALERTS, RECORDS } from '../../../spec/src/conventions';
import type { LoadedSpec } from '../../../spec/src/load-spec';
import { loadEditedDemoSpec } from '../../support/demo-spec';
import { fraudModel } from '../../support/quality-spec';
import { TOOLS, describeWithTools } from '../../support/real-tools';

function groupsOf(loaded: LoadedSpec, profile: ProfileName = 'production'): RuleGroup[] {
  return ruleGroups(alertingContext(loaded.spec, generationProfile(profile, loaded.spec)), ALERT_DEFINITIONS);
}
const rules = (groups: RuleGroup[]) => groups.flatMap((g) => g.rules);
const canaryAlert = (groups: RuleGroup[]) =>
  rules(groups).find((r): r is AlertingRule => 'alert' in r && r.alert === ALERTS.canaryWorse);
const record = (groups: RuleGroup[], name: string) =>
  rules(groups).find((r): r is RecordingRule => 'record' in r && r.record === name);

describe('the critical value', () => {
  test('is z_{1−level} of the standard normal to nine decimals (golden values)', () => {
    expect(Math.abs(criticalZ(0.01) - 2.3263478740408408)).toBeLessThan(1e-9);
    expect(Math.abs(criticalZ(0.05) - 1.6448536269514722)).toBeLessThan(1e-9);
    expect(criticalZ(0.5)).toBeCloseTo(0, 12);
  });

  test("is written into the alert from the spec's canary.level", () => {
    expect(canaryAlert(groupsOf(loadEditedDemoSpec()))?.expr).toContain('> 2.32634787404\n');
    const at05 = loadEditedDemoSpec((s) => ((fraudModel(s)['canary'] as Record<string, unknown>)['level'] = 0.05));
    expect(canaryAlert(groupsOf(at05))?.expr).toContain('> 1.64485362695\n');
  });
});

describe('the hand-computed z statistics the promtool cases state', () => {
  const z = (signal: 'errors' | 'conversion' | 'accuracy') =>
    twoProportionZ(
      canaryProportions(CANARY_FIXTURE.baseline, signal, true),
      canaryProportions(CANARY_FIXTURE.candidate, signal, true),
      signal === 'errors' ? 'higher' : 'lower',
    );

  test('equal the arithmetic written beside them', () => {
    // errors: (15/540 − 20/2120) / sqrt(35/2660 · 2625/2660 · (1/2120 + 1/540))
    expect(z('errors')).toBeCloseTo(3.3397, 3);
    // conversion: 0.05 / sqrt(0.09 · 0.91 · 0.0025)
    expect(z('conversion')).toBeCloseTo(0.05 / Math.sqrt(0.09 * 0.91 * 0.0025), 12);
    expect(z('conversion')).toBeCloseTo(3.4943, 3);
    // accuracy: 0.05 / sqrt(1240/1400 · 160/1400 · 0.0035)
    expect(z('accuracy')).toBeCloseTo(2.6564, 3);
    expect(LATENCY_P99_RATIO).toBeCloseTo(2.5101, 4);
  });

  test('is 0 when the pooled proportion is 0 or 1 (no variance), and positive only when the candidate is worse', () => {
    expect(twoProportionZ({ hits: 0, trials: 100 }, { hits: 0, trials: 50 }, 'higher')).toBe(0);
    expect(twoProportionZ({ hits: 100, trials: 100 }, { hits: 50, trials: 50 }, 'lower')).toBe(0);
    expect(twoProportionZ({ hits: 10, trials: 100 }, { hits: 20, trials: 100 }, 'higher')).toBeGreaterThan(0);
    expect(twoProportionZ({ hits: 10, trials: 100 }, { hits: 20, trials: 100 }, 'lower')).toBeLessThan(0);
  });
});

describe('canary rules are generated from the spec', () => {
  test('every signal the model has: errors always, conversion with outcomes, accuracy with labels', () => {
    const signals = (loaded: LoadedSpec) =>
      [...(record(groupsOf(loaded), RECORDS.canaryZ('1h'))?.expr ?? '').matchAll(/"signal", "(\w+)"/g)].map(
        (m) => m[1],
      );
    expect(signals(loadEditedDemoSpec())).toEqual(['errors', 'conversion', 'accuracy']);
    const bare = loadEditedDemoSpec((s) => {
      delete fraudModel(s)['outcomes'];
      delete fraudModel(s)['quality'];
    });
    expect(signals(bare)).toEqual(['errors']);
  });

  test('the conversion denominator is offset by the attribution delay, the error one is not', () => {
    const production = record(groupsOf(loadEditedDemoSpec()), RECORDS.canaryVolume('1h'))?.expr ?? '';
    expect(production).toContain('version="v1",status="success"}[1h] offset 5m)');
    expect(production).toContain('increase(mlwatch_predictions_total{model="fraud",version="v1"}[1h]))');
    const z = record(groupsOf(loadEditedDemoSpec()), RECORDS.canaryZ('1h'))?.expr ?? '';
    expect(z).toContain('version="v2",status="error"}[1h]))');
    const volume = record(groupsOf(loadEditedDemoSpec(), 'fast'), RECORDS.canaryVolume('1h'))?.expr ?? '';
    expect(volume).toContain('[1m] offset 5s)');
  });

  test('the alert requires both versions at canary.min_volume, and a spec without a canary gets neither rules nor alert', () => {
    const expr = canaryAlert(groupsOf(loadEditedDemoSpec()))?.expr ?? '';
    expect(expr).toContain('version="v1"} >= 300');
    expect(expr).toContain('version="v2"} >= 300');
    const none = groupsOf(loadEditedDemoSpec((s) => delete fraudModel(s)['canary']));
    expect(none.map((g) => g.name).filter((n) => n.includes('canary'))).toEqual([]);
    expect(canaryAlert(none)).toBeUndefined();
  });
});

function run(binary: string, args: string[], cwd?: string): { status: number; output: string } {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describeWithTools([TOOLS.promtool], 'promtool on the canary rules', () => {
  const generate = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-canary-'));
    writeGenerated(dir, generateAlerting(loadEditedDemoSpec(), { profile: 'production' }));
    return { dir, tests: path.join(dir, 'prometheus', 'tests'), rules: path.join(dir, 'prometheus', 'rules') };
  };

  test('the cases can fail: a conversion rate without the attribution offset, a missing volume guard', () => {
    const { tests, rules: dir } = generate();
    const file = path.join(dir, 'mlwatch-canary-recording-fraud.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('[1h] offset 5m)', '[1h])'));
    const alerts = path.join(dir, 'mlwatch-canary-alerts.yml');
    writeFileSync(
      alerts,
      readFileSync(alerts, 'utf8').replace(/\n\s*and on \(model, signal\)\n\s*\S+version="v2"\} >= 300/, ''),
    );
    const result = run(TOOLS.promtool, ['test', 'rules', 'canary-every-1m.test.yml'], tests);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(
      /model_version_signal:mlwatch_canary:z_increase1h\{model=\\"fraud\\",signal=\\"conversion\\"\}/,
    );
    expect(result.output).toContain('below canary.min_volume');
  }, 240_000);
});
