import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertingContext } from '../../../alerting/src/alerting-context';
import { ALERT_DEFINITIONS } from '../../../alerting/src/alerts';
import { generateAlerting } from '../../../alerting/src/generate-alerting';
import { generationProfile, type ProfileName } from '../../../alerting/src/generation-profile';
import { ruleGroups } from '../../../alerting/src/rule-groups';
import { weekFigures } from '../../../alerting/src/rule-tests/business-case';
import { outcomeModels } from '../../../alerting/src/rules/business-recording';
import type { AlertingRule, RecordingRule, RuleGroup } from '../../../alerting/src/rules/rule-types';
import { writeGenerated } from '../../../alerting/src/write-generated';
import { ALERTS, RECORDS } from '../../../spec/src/conventions';
import type { LoadedSpec } from '../../../spec/src/load-spec';
import { loadEditedDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { fraudModel } from '../../support/quality-spec';
import { TOOLS, describeWithTools } from '../../support/real-tools';

function groupsOf(loaded: LoadedSpec, profile: ProfileName = 'production'): RuleGroup[] {
  return ruleGroups(alertingContext(loaded.spec, generationProfile(profile, loaded.spec)), ALERT_DEFINITIONS);
}
const rules = (groups: RuleGroup[]) => groups.flatMap((g) => g.rules);
const record = (groups: RuleGroup[], name: string) =>
  rules(groups).find((r): r is RecordingRule => 'record' in r && r.record === name);
const alert = (groups: RuleGroup[], name: string) =>
  rules(groups).find((r): r is AlertingRule => 'alert' in r && r.alert === name);
const outcomes = (s: Record<string, unknown>) => fraudModel(s)['outcomes'] as Record<string, unknown>;

describe('the hand-computed figures of the week-long case', () => {
  test('equal the fractions written beside them (demo: 1h judged window, 5m attribution delay, windows 1h, 1d, 7d)', () => {
    const target = defined(outcomeModels(loadEditedDemoSpec().spec)[0], 'the demo outcome model');
    const figures = defined(weekFigures(target), 'figures');
    const value = (expr: string) =>
      defined(
        figures.expected.find((e) => e.expr.startsWith(`${expr}{`)),
        expr,
      ).value;
    expect(figures.evalAtSeconds).toBe(604_800 + 7200);
    expect(value(RECORDS.outcomeRate('1h'))).toBeCloseTo(1 / 15, 12);
    expect(value(RECORDS.outcomeValuePerPrediction('1h'))).toBeCloseTo(4, 12);
    expect(value(RECORDS.outcomeRateWeekOverWeek('1h'))).toBeCloseTo(2 / 3, 12);
    expect(value(RECORDS.outcomeValueWeekOverWeek('1h'))).toBeCloseTo(0.8, 12);
    expect(value(RECORDS.outcomeRate('1d'))).toBeCloseTo(1680 / 17280, 12);
    expect(value(RECORDS.outcomeRate('7d'))).toBeCloseTo(12048 / 120960, 12);
    expect(value(RECORDS.outcomesIncrease('7d'))).toBeCloseTo(12048, 9);
    expect(value(RECORDS.outcomeRateAverage('1h', '1d'))).toBeCloseTo(20364 / 208080, 12);
    expect(value(RECORDS.outcomeRateAverage('1h', '7d'))).toBeCloseTo(144780 / 1452240, 12);
    // 265 samples at 5 EUR, the ramp 5 − k/12 for k = 1..12 (sum 53.5), 12 at 4: 1426.5 / 289.
    expect(value(RECORDS.outcomeValueAverage('1h', '1d'))).toBeCloseTo(1426.5 / 289, 12);
  });
});

describe('outcome rules are generated from the spec', () => {
  test('short windows in one group, day- and week-long work (windows, averages, week over week) in a slower one', () => {
    const groups = groupsOf(loadEditedDemoSpec());
    const names = (name: string) =>
      defined(
        groups.find((g) => g.name === name),
        name,
      ).rules.map((r) => ('record' in r ? r.record : r.alert));
    expect(names('mlwatch-business-recording-fraud')).toEqual([
      RECORDS.outcomesIncrease('1h'),
      RECORDS.outcomeRate('1h'),
      RECORDS.outcomeValuePerPrediction('1h'),
    ]);
    const trends = defined(
      groups.find((g) => g.name === 'mlwatch-business-trends-fraud'),
      'trends',
    );
    expect(trends.interval).toBe('4m');
    expect(names(trends.name)).toEqual([
      RECORDS.outcomesIncrease('1d'),
      RECORDS.outcomeRate('1d'),
      RECORDS.outcomeValuePerPrediction('1d'),
      RECORDS.outcomesIncrease('7d'),
      RECORDS.outcomeRate('7d'),
      RECORDS.outcomeValuePerPrediction('7d'),
      RECORDS.outcomeRateAverage('1h', '1d'),
      RECORDS.outcomeValueAverage('1h', '1d'),
      RECORDS.outcomeRateAverage('1h', '7d'),
      RECORDS.outcomeValueAverage('1h', '7d'),
      RECORDS.outcomeRateWeekOverWeek('1h'),
      RECORDS.outcomeValueWeekOverWeek('1h'),
    ]);
    expect(
      defined(
        groupsOf(loadEditedDemoSpec(), 'fast').find((g) => g.name === trends.name),
        'fast',
      ).interval,
    ).toBe('4s');
  });

  test('rates divide by the predictions one attribution delay earlier (none when it is 0), guarded against zero', () => {
    const rate = record(groupsOf(loadEditedDemoSpec()), RECORDS.outcomeRate('1h'))?.expr ?? '';
    expect(rate).toContain('status="success"}[1h] offset 5m)) > 0)');
    const wow = record(groupsOf(loadEditedDemoSpec()), RECORDS.outcomeRateWeekOverWeek('1h'))?.expr ?? '';
    expect(wow).toContain('event) (increase(mlwatch_outcomes_total{model="fraud"}[1h] offset 7d))');
    expect(wow).toContain('status="success"}[1h] offset 7d5m)) > 0)');
    const instant = loadEditedDemoSpec((s) => (outcomes(s)['attribution_delay_seconds'] = 0));
    expect(record(groupsOf(instant), RECORDS.outcomeRate('1h'))?.expr).not.toContain('offset');
    expect(record(groupsOf(instant), RECORDS.outcomeRateWeekOverWeek('1h'))?.expr).toContain('offset 7d))');
  });

  test('the drop alerts take their shares, volume and for: from the spec, and only exist where a share is set', () => {
    const groups = groupsOf(loadEditedDemoSpec());
    const conversion = defined(alert(groups, ALERTS.conversionDrop), 'conversion alert');
    expect(conversion.expr).toContain(
      `${RECORDS.outcomeRateWeekOverWeek('1h')}{model="fraud",event="checkout"} < 0.8\n`,
    );
    expect(conversion.expr).toContain('[1h] offset 5m)) >= 500');
    expect(conversion.expr).toContain('[1h] offset 7d5m)) >= 500');
    expect(conversion.for).toBe('30m');
    const moved = loadEditedDemoSpec((s) => (outcomes(s)['value_drop_share'] = 0.3));
    expect(alert(groupsOf(moved), ALERTS.valueDrop)?.expr).toContain('< 0.7\n');
    const none = loadEditedDemoSpec((s) => {
      delete outcomes(s)['conversion_drop_share'];
      delete outcomes(s)['value_drop_share'];
    });
    expect(alert(groupsOf(none), ALERTS.conversionDrop)).toBeUndefined();
    expect(alert(groupsOf(none), ALERTS.valueDrop)).toBeUndefined();
    const without = groupsOf(loadEditedDemoSpec((s) => delete fraudModel(s)['outcomes']));
    expect(without.map((g) => g.name).filter((n) => n.includes('business'))).toEqual([]);
  });
});

function run(binary: string, args: string[], cwd?: string): { status: number; output: string } {
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describeWithTools([TOOLS.promtool], 'promtool on the outcome rules', () => {
  test('the week-long cases can fail: rates without the attribution offset, week over week against this week', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-business-'));
    writeGenerated(dir, generateAlerting(loadEditedDemoSpec(), { profile: 'production' }));
    const rulesDir = path.join(dir, 'prometheus', 'rules');
    const recording = path.join(rulesDir, 'mlwatch-business-recording-fraud.yml');
    writeFileSync(recording, readFileSync(recording, 'utf8').replaceAll('[1h] offset 5m)', '[1h])'));
    const trends = path.join(rulesDir, 'mlwatch-business-trends-fraud.yml');
    writeFileSync(trends, readFileSync(trends, 'utf8').replaceAll('[1h] offset 7d)', '[1h])'));
    const tests = path.join(dir, 'prometheus', 'tests');
    const output = ['business-every-5m.test.yml', 'business-every-30m.test.yml']
      .map((file) => run(TOOLS.promtool, ['test', 'rules', file], tests))
      .map((r) => `${r.status}\n${r.output}`)
      .join('\n');
    expect(output).toMatch(/model_version_event:mlwatch_outcomes:per_prediction_increase1h\{/);
    expect(output).toMatch(/model_version_event:mlwatch_outcomes:per_prediction_wow_ratio_increase1h\{/);
    expect(output).toContain(`${ALERTS.conversionDrop}: fires just past the drop share`);
  }, 240_000);
});
