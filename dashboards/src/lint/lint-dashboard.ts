import { panelsOf, type DashboardJson } from './dashboard-json';
import { LINT_WAIVERS_KEY, type LintFinding, type LintWaiver } from './lint-finding';
import { panelDatasourceRule, panelTitleDescriptionRule, panelUnitsRule } from './panel-rules';
import { targetRules } from './target-rules';
import { templateDatasourceRule, templateInstanceRule, templateJobRule, templateLabelRule } from './template-rules';

/**
 * Every finding of Grafana dashboard-linter's rules on one dashboard's JSON, less those the
 * generator waived with a reason (under `_lint_waivers`), plus any waiver that waived nothing.
 */
export function lintDashboard(dashboard: DashboardJson): LintFinding[] {
  const uid = dashboard.uid ?? '(no uid)';
  const found: LintFinding[] = [
    ...[templateDatasourceRule, templateJobRule, templateInstanceRule, templateLabelRule]
      .flatMap((rule) => rule(dashboard))
      .map((f) => ({ ...f, dashboard: uid })),
    ...panelsOf(dashboard).flatMap((panel) =>
      [
        ...panelDatasourceRule(panel),
        ...panelUnitsRule(panel),
        ...panelTitleDescriptionRule(panel),
        ...(panel.targets ?? []).flatMap((target) => targetRules(target)),
      ].map((f) => ({ ...f, dashboard: uid, panel: panel.title ?? '' })),
    ),
  ];
  const waivers = dashboard[LINT_WAIVERS_KEY] ?? [];
  const waives = (w: LintWaiver, f: LintFinding) => w.rule === f.rule && (w.panel === undefined || w.panel === f.panel);
  const unused = waivers.filter((w) => w.reason.trim() === '' || !found.some((f) => waives(w, f)));
  return [
    ...found.filter((f) => !waivers.some((w) => w.reason.trim() !== '' && waives(w, f))),
    ...unused.map((w) => ({
      rule: 'unused-waiver-rule' as const,
      dashboard: uid,
      ...(w.panel === undefined ? {} : { panel: w.panel }),
      message:
        w.reason.trim() === ''
          ? `the waiver of ${w.rule} gives no reason`
          : `the waiver of ${w.rule} (${w.reason}) waives nothing`,
    })),
  ];
}

/** Findings of every dashboard, in order. */
export function lintDashboards(dashboards: readonly DashboardJson[]): LintFinding[] {
  return dashboards.flatMap(lintDashboard);
}
