import type { AlertingContext } from './alerting-context';
import type { AlertDefinition } from './alerts/alert-definition';
import { alertingRules } from './alerts/alert-rules';
import { businessRecordingGroups } from './rules/business-recording';
import { canaryRecordingGroups } from './rules/canary-recording';
import { fleetDriftRecordingGroup } from './rules/fleet-drift-recording';
import { modelRecordingGroup } from './rules/model-recording';
import { qualityRecordingGroups } from './rules/quality-recording';
import type { RuleGroup } from './rules/rule-types';
import { serviceRecordingGroup } from './rules/service-recording';
import { sloRecordingGroup } from './rules/slo-recording';

/** Recording groups first, then one group per alert family in the order the definitions list them. */
export function ruleGroups(ctx: AlertingContext, alerts: readonly AlertDefinition[]): RuleGroup[] {
  if (alerts.length === 0)
    throw new Error('rule generation: no alerts to generate; an empty rule set would alert on nothing');
  const recording = [
    serviceRecordingGroup(ctx),
    sloRecordingGroup(ctx),
    modelRecordingGroup(ctx),
    fleetDriftRecordingGroup(ctx),
    ...qualityRecordingGroups(ctx),
    ...businessRecordingGroups(ctx),
    ...canaryRecordingGroups(ctx),
  ];
  const alerting = new Map<string, AlertDefinition[]>();
  // An optional alert (a quality alert whose threshold no model sets) is left out, group and all.
  const generated = alerts.filter((alert) => alert.optional !== true || alert.forms(ctx).length > 0);
  for (const alert of generated) alerting.set(alert.group, [...(alerting.get(alert.group) ?? []), alert]);
  const groups = [
    ...recording,
    ...[...alerting].map(([name, members]) => ({ name, rules: members.flatMap((a) => alertingRules(ctx, a)) })),
  ];
  const empty = groups.filter((group) => group.rules.length === 0).map((group) => group.name);
  // An empty group would load silently and alert on nothing.
  if (empty.length > 0) throw new Error(`rule generation produced empty groups: ${empty.join(', ')}`);
  return groups;
}

/** Path of a group's rule file, relative to the output directory. */
export function ruleFilePath(group: RuleGroup): string {
  return `prometheus/rules/${group.name}.yml`;
}
