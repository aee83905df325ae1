import { ALERT_NAME_PREFIX, SEVERITIES } from '../../../spec/src/conventions';
import { checkRule, ruleName } from './rule-checks';
import type { LintFinding, LintInput, LintPolicy, LintWaiver } from './lint-types';

/** The policy mlwatch's generated rules are held to. */
export const MLWATCH_POLICY: LintPolicy = {
  alertNamePrefix: ALERT_NAME_PREFIX,
  severities: SEVERITIES,
  requiredLabels: ['severity'],
};

/**
 * Lints rule groups: every check on every rule, minus what a waiver excuses for that rule, plus a
 * finding for each waiver that excused nothing. Pure: the caller parses the files and supplies the
 * metric types. Findings come in rule order, then check order.
 */
export function lintRuleGroups(input: LintInput, policy: LintPolicy = MLWATCH_POLICY): LintFinding[] {
  const findings: LintFinding[] = [];
  const used = new Set<LintWaiver>();
  for (const rule of input.groups.flatMap((group) => group.rules)) {
    const waivers = input.waivers?.get(ruleName(rule)) ?? [];
    for (const finding of checkRule(rule, input, policy)) {
      const waiver = waivers.find((w) => w.rule === finding.rule);
      if (waiver === undefined) findings.push(finding);
      else used.add(waiver);
    }
  }
  for (const [name, waivers] of input.waivers ?? []) {
    const present = input.groups.some((group) => group.rules.some((rule) => ruleName(rule) === name));
    for (const waiver of waivers) {
      // A waiver of an alert that is not in these groups (another file) is not judged here.
      if (present && !used.has(waiver))
        findings.push({
          rule: 'waiver/unused',
          name,
          message: `waiver of ${waiver.rule} excuses nothing: ${waiver.reason}`,
        });
    }
  }
  return findings;
}
