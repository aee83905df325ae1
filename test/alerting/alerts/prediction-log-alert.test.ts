import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { alertingContext } from '../../../alerting/src/alerting-context';
import { ALERT_DEFINITIONS } from '../../../alerting/src/alerts';
import { predictionLogLoss } from '../../../alerting/src/alerts/prediction-log-alert';
import { generateAlerting } from '../../../alerting/src/generate-alerting';
import { generationProfile } from '../../../alerting/src/generation-profile';
import { ruleGroups } from '../../../alerting/src/rule-groups';
import type { AlertingRule } from '../../../alerting/src/rules/rule-types';
import { writeGenerated } from '../../../alerting/src/write-generated';
import { ALERTS, METRICS } from '../../../spec/src/conventions';
import { loadEditedDemoSpec } from '../../support/demo-spec';
import { objectAt } from '../../support/document';
import { TOOLS, describeWithTools } from '../../support/real-tools';

const spec = loadEditedDemoSpec();

function ruleOf(profile: 'production' | 'fast'): AlertingRule | undefined {
  const ctx = alertingContext(spec.spec, generationProfile(profile, spec.spec));
  return ruleGroups(ctx, ALERT_DEFINITIONS)
    .flatMap((group) => group.rules)
    .find((rule): rule is AlertingRule => 'alert' in rule && rule.alert === ALERTS.predictionLogLoss);
}

describe('the prediction log alert', () => {
  test('regression: an alert watches prediction log losses (none watched log errors): any dropped line, by destination and reason', () => {
    expect(ruleOf('production')).toMatchObject({
      alert: 'MLWatchPredictionLogLoss',
      expr: `sum by (instance, destination, reason) (rate(${METRICS.predictionLogLinesDroppedTotal}{job="mlwatch-exporter"}[5m])) > 0`,
      for: '1m',
      labels: { severity: 'warning' },
    });
    expect(ruleOf('fast')?.expr).toContain('[5s]');
  });

  test('its severity and for: come from the spec', () => {
    const edited = loadEditedDemoSpec((doc) => {
      const alerts = objectAt(doc, 'alerts');
      alerts['for_seconds'] = { prediction_log_loss: 300 };
      alerts['severity'] = { prediction_log_loss: 'critical' };
    });
    const ctx = alertingContext(edited.spec, generationProfile('production', edited.spec));
    expect(predictionLogLoss.forms(ctx)).toEqual([expect.objectContaining({ severity: 'critical', forSeconds: 300 })]);
  });
});

describeWithTools([TOOLS.promtool], 'the prediction log alert under promtool', () => {
  test('fires while lines are dropped, stays quiet without drops and once a burst is a rate window old', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-log-alert-'));
    writeGenerated(dir, generateAlerting(spec, { profile: 'production' }));
    const testsDir = path.join(dir, 'prometheus', 'tests');
    // Keep only this alert's cases, so a failure here names it.
    for (const name of readdirSync(testsDir)) {
      const file = path.join(testsDir, name);
      const doc = yaml.load(readFileSync(file, 'utf8')) as { tests: { name: string }[] };
      doc.tests = doc.tests.filter((t) => t.name.startsWith(`${ALERTS.predictionLogLoss}:`));
      writeFileSync(file, yaml.dump(doc));
    }
    const withCases = readdirSync(testsDir).filter(
      (name) => (yaml.load(readFileSync(path.join(testsDir, name), 'utf8')) as { tests: unknown[] }).tests.length > 0,
    );
    expect(withCases).toHaveLength(1);
    const result = spawnSync(TOOLS.promtool, ['test', 'rules', ...withCases], { cwd: testsDir, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
