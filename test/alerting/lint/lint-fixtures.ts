import yaml from 'js-yaml';
import { generateAlerting } from '../../../alerting/src/generate-alerting';
import type { ProfileName } from '../../../alerting/src/generation-profile';
import type { MetricType } from '../../../alerting/src/lint/lint-types';
import type { RuleGroup } from '../../../alerting/src/rules/rule-types';
import { loadEditedDemoSpec } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

/** Metric types as the exporter itself declares them: the `# TYPE` lines of its own registry. */
export async function exporterMetricTypes(): Promise<Map<string, MetricType>> {
  const exporter = buildTestExporter();
  const text = await exporter.deps.metrics.registry.metrics();
  return new Map(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] as string, m[2] as MetricType] as const),
  );
}

/** The rule groups of every generated rule file of a profile, parsed back from their YAML. */
export function generatedRuleGroups(profile: ProfileName): RuleGroup[] {
  return generateAlerting(loadEditedDemoSpec(), { profile })
    .filter((file) => file.path.startsWith('prometheus/rules/'))
    .flatMap((file) => (yaml.load(file.content) as { groups: RuleGroup[] }).groups);
}
