import type { TargetJson } from './dashboard-json';
import type { LintFinding } from './lint-finding';
import { parseQuery, type ParsedQuery } from '../../../alerting/src/lint/promql';

type Found = Omit<LintFinding, 'dashboard' | 'panel'>;

/** The rules on one query of a panel; a query that does not parse gets only the PromQL finding. */
export function targetRules(target: TargetJson): Found[] {
  const expr = target.expr ?? '';
  const where = `query ${target.refId ?? '?'}`;
  const parsed = parseQuery(expr);
  if (parsed.error !== undefined)
    return [{ rule: 'target-promql-rule', message: `${where} is not valid PromQL (${parsed.error}): ${expr}` }];
  return [
    ...rateIntervalRule(parsed, target, where),
    ...requiredMatcherRule(parsed, 'job', where),
    ...requiredMatcherRule(parsed, 'instance', where),
  ];
}

/**
 * rate, irate and increase read [$__rate_interval], which Grafana keeps at least four scrapes
 * long at every zoom; an instant query may read [$__range], a summary of the whole dashboard range.
 */
function rateIntervalRule(parsed: ParsedQuery, target: TargetJson, where: string): Found[] {
  const allowed = target.instant === true ? ['$__rate_interval', '$__range'] : ['$__rate_interval'];
  return parsed.rangeFunctions
    .filter((call) => !allowed.includes(call.range))
    .map((call) => ({
      rule: 'target-rate-interval-rule',
      message: `${where}: ${call.name}() reads [${call.range}], not ${allowed.map((a) => `[${a}]`).join(' or ')}`,
    }));
}

/** Every selector has `label=~"$label"`, so the job and instance variables filter every query (one finding per query). */
function requiredMatcherRule(parsed: ParsedQuery, label: 'job' | 'instance', where: string): Found[] {
  const without = parsed.selectors.filter(
    (s) => !s.matchers.some((m) => m.label === label && m.op === '=~' && m.value === `$${label}`),
  );
  return without.length === 0
    ? []
    : [
        {
          rule: label === 'job' ? 'target-job-rule' : 'target-instance-rule',
          message: `${where}: ${without.map((s) => s.text).join(', ')} has no ${label}=~"$${label}"`,
        },
      ];
}
