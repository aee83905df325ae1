import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { loadSpec } from '../../spec/src/load-spec';
import { allDashboards } from '../../dashboards/src/dashboards';
import { panelQueries } from '../../dashboards/src/panel-queries';
import { REPO_ROOT } from '../support/demo-spec';
import { TOOLS, describeWithTools } from '../support/real-tools';
import { DEMO_VARIABLE_VALUES, variableValueSets } from '../support/dashboard-variables';
import { loadQualitySpec } from '../support/quality-spec';

/** promtool parses PromQL only inside rule files: each expression becomes a recording rule. */
function checkAsRules(exprs: readonly string[]): { status: number; output: string } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-panel-promql-')), 'panels.yml');
  const rules = exprs.map((expr, i) => ({ record: `mlwatch_dashboard_check:expr_${i}:value`, expr }));
  writeFileSync(file, yaml.dump({ groups: [{ name: 'dashboard-expressions', rules }] }, { lineWidth: -1 }));
  const result = spawnSync(TOOLS.promtool, ['check', 'rules', file], { encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describeWithTools([TOOLS.promtool], 'dashboard PromQL (promtool, Prometheus 2.42)', () => {
  const dashboards = allDashboards(loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml')).spec);
  const values = DEMO_VARIABLE_VALUES;

  test('every panel expression parses, variables substituted', () => {
    const exprs = panelQueries(dashboards, values).map((q) => q.expr);
    expect(exprs.length).toBeGreaterThan(40);
    const result = checkAsRules(exprs);
    if (result.status !== 0) console.error(result.output);
    expect(result.status).toBe(0);
  });

  test('every panel expression of the performance dashboards and the task rows parses, for each task kind', () => {
    const spec = loadQualitySpec().spec;
    const sets = variableValueSets(spec);
    expect(sets.map((values) => values['model'])).toEqual(['fraud', 'price']);
    const exprs = sets.flatMap((values) => panelQueries(allDashboards(spec), values).map((q) => q.expr));
    expect(exprs.length).toBeGreaterThan(2 * 90);
    const result = checkAsRules(exprs);
    if (result.status !== 0) console.error(result.output);
    expect(result.status).toBe(0);
  });

  test('every annotation expression parses', () => {
    const exprs = dashboards.flatMap((d) =>
      (d.annotations.list ?? []).map((a) => ((a as { expr?: string }).expr ?? '').replaceAll('$model', 'fraud')),
    );
    expect(checkAsRules(exprs).status).toBe(0);
  });

  test('the check can fail: a broken expression is refused', () => {
    const result = checkAsRules(['sum by (model (rate(mlwatch_predictions_total[5m]))']);
    expect(result.status).not.toBe(0);
  });
});
