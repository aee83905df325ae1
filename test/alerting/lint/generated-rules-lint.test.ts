import { ALERT_DEFINITIONS } from '../../../alerting/src/alerts';
import { PROFILE_NAMES, generationProfile, type ProfileName } from '../../../alerting/src/generation-profile';
import { definitionWaivers } from '../../../alerting/src/alerts/alert-rules';
import { lintRuleGroups } from '../../../alerting/src/lint/lint-rules';
import type { LintFinding, MetricType } from '../../../alerting/src/lint/lint-types';
import { loadEditedDemoSpec } from '../../support/demo-spec';
import { exporterMetricTypes, generatedRuleGroups } from './lint-fixtures';

describe('the generated rule files pass the rule linter', () => {
  let metricTypes: Map<string, MetricType>;
  beforeAll(async () => {
    metricTypes = await exporterMetricTypes();
  });

  test('the metric table comes from the exporter: counters, gauges and histograms it really exports', () => {
    expect(metricTypes.get('mlwatch_predictions_total')).toBe('counter');
    expect(metricTypes.get('mlwatch_prediction_latency_seconds')).toBe('histogram');
    expect(metricTypes.get('mlwatch_feature_drift_score')).toBe('gauge');
    expect(metricTypes.get('process_resident_memory_bytes')).toBe('gauge');
  });

  const lint = (profile: ProfileName): LintFinding[] =>
    lintRuleGroups({
      groups: generatedRuleGroups(profile),
      metricTypes,
      scrapeIntervalSeconds: generationProfile(profile, loadEditedDemoSpec().spec).scrapeIntervalSeconds,
      waivers: definitionWaivers(ALERT_DEFINITIONS),
    });

  test.each(PROFILE_NAMES)(
    '%s profile: no findings from any check (regression: 14 of 16 summaries held templates and none ended with a period; runbook links were relative)',
    (profile) => {
      expect(lint(profile)).toEqual([]);
    },
  );
});
