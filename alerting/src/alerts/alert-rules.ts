import { LABELS, RUNBOOKS_PATH } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import type { AlertingRule } from '../rules/rule-types';
import type { LintWaiver } from '../lint/lint-types';
import type { AlertDefinition } from './alert-definition';
import { toGoTemplate, type AnnotationTemplate } from './annotation-template';

/** Every annotation of an alert as a template: the texts, and the links to its runbook section and dashboard. */
export function annotationTemplates(
  ctx: AlertingContext,
  definition: AlertDefinition,
): Record<string, AnnotationTemplate> {
  const grafana = ctx.spec.links.grafana_url.replace(/\/+$/, '');
  const dashboard: AnnotationTemplate = [
    `${grafana}/d/${definition.dashboard}`,
    ...(definition.perModel ? ['?var-model=', { label: LABELS.model }] : []),
  ];
  return {
    summary: definition.summary,
    description: typeof definition.description === 'function' ? definition.description(ctx) : definition.description,
    value: definition.value,
    runbook_url: [runbookUrl(ctx, definition.name)],
    dashboard_url: dashboard,
  };
}

/**
 * The runbook of an alert as an absolute URL: the page the exporter serves at
 * `links.public_url` + `/runbooks/<alert>`, or, when `links.runbooks_url` points elsewhere,
 * that document's section (`#` plus the alert name in lower case, as Markdown renderers anchor headings).
 */
export function runbookUrl(ctx: AlertingContext, alertName: string): string {
  const { runbooks_url: elsewhere, public_url: publicUrl } = ctx.spec.links;
  if (elsewhere !== undefined) return `${elsewhere.replace(/#.*$/, '')}#${alertName.toLowerCase()}`;
  return `${publicUrl.replace(/\/+$/, '')}${RUNBOOKS_PATH}/${alertName}`;
}

/** The rule-linter waivers the alert definitions carry, by alert name. */
export function definitionWaivers(alerts: readonly AlertDefinition[]): Map<string, readonly LintWaiver[]> {
  return new Map(alerts.flatMap((alert) => (alert.lintWaivers === undefined ? [] : [[alert.name, alert.lintWaivers]])));
}

/** The Prometheus rules of an alert, one per severity form. */
export function alertingRules(ctx: AlertingContext, definition: AlertDefinition): AlertingRule[] {
  const annotations = Object.fromEntries(
    Object.entries(annotationTemplates(ctx, definition)).map(([key, template]) => [key, toGoTemplate(template)]),
  );
  return definition.forms(ctx).map((form) => ({
    alert: definition.name,
    expr: form.expr,
    ...(form.forSeconds > 0 ? { for: ctx.forDuration(form.forSeconds) } : {}),
    labels: { severity: form.severity, ...form.labels },
    annotations,
  }));
}
