import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateAll } from '../../../cli/src/generate-all';
import { DASHBOARD_UIDS } from '../../../spec/src/conventions';
import type { DashboardJson } from '../../../dashboards/src/lint/dashboard-json';
import { lintDashboard, lintDashboards } from '../../../dashboards/src/lint/lint-dashboard';
import { DASHBOARD_LINT_RULES, type LintFinding, type LintWaiver } from '../../../dashboards/src/lint/lint-finding';
import { REPO_ROOT, loadEditedDemoSpec } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { loadQualitySpec } from '../../support/quality-spec';

/** A committed generated dashboard, as Grafana reads it. */
function committed(uid: string): DashboardJson {
  return JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'dashboards', 'generated', `${uid}.json`), 'utf8'),
  ) as DashboardJson;
}

/** The dashboard JSON as a test edits it. */
interface PanelDoc {
  title?: string;
  /** A collapsed row's panels. */
  panels?: PanelDoc[];
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string }[];
  fieldConfig?: { defaults?: { unit?: string } };
}
interface VariableDoc {
  name?: string;
  type?: string;
  label?: string;
  multi?: boolean;
  allValue?: string;
  query?: unknown;
  definition?: string;
}
interface DashboardDoc {
  panels?: PanelDoc[];
  templating?: { list?: VariableDoc[] };
  _lint_waivers?: LintWaiver[];
}

/** A fresh copy of a committed dashboard to break one way. */
function broken(uid: string, breakIt: (d: DashboardDoc) => void): DashboardJson {
  const dashboard = structuredClone(committed(uid)) as DashboardDoc;
  breakIt(dashboard);
  return dashboard;
}

/** The panel titled `title`, inside a collapsed row too (the linter reads those as well). */
function panel(d: DashboardDoc, title: string): PanelDoc {
  return defined(
    (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]).find((p) => p.title === title),
    `panel "${title}"`,
  );
}

function variable(d: DashboardDoc, name: string): VariableDoc {
  return defined(
    (d.templating?.list ?? []).find((v) => v.name === name),
    `variable ${name}`,
  );
}

function setExpr(p: PanelDoc, index: number, edit: (expr: string) => string): void {
  const target = defined(p.targets?.[index], `query ${index} of "${p.title ?? ''}"`);
  const before = defined(target.expr, 'an expression');
  target.expr = edit(before);
  expect(target.expr).not.toBe(before);
}

/** The dashboards committed for the demo spec (the performance dashboards only once it has labels or a regression model). */
const COMMITTED_UIDS = readdirSync(path.join(REPO_ROOT, 'dashboards', 'generated'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length));

/** The dashboards generated for a spec on a profile, as Grafana reads them. */
function generatedFor(loaded: ReturnType<typeof loadEditedDemoSpec>, profile: 'production' | 'fast'): DashboardJson[] {
  return generateAll(loaded, { profile })
    .filter((f) => f.path.startsWith('dashboards/generated/') && f.path.endsWith('.json'))
    .map((f) => JSON.parse(f.content) as DashboardJson);
}

const OVERVIEW = DASHBOARD_UIDS.serviceOverview;
const DRIFT = DASHBOARD_UIDS.modelDrift;
const FLEET = DASHBOARD_UIDS.versionsFleet;
const only = (findings: LintFinding[]) => findings.map((f) => [f.rule, f.dashboard, f.panel]);

describe('the generated dashboards pass the lint', () => {
  test.each(COMMITTED_UIDS)('committed %s: no findings', (uid) => {
    expect(lintDashboard(committed(uid))).toEqual([]);
  });

  test.each(['production', 'fast'] as const)('as generated on the %s profile: no findings', (profile) => {
    const dashboards = generatedFor(loadEditedDemoSpec(), profile);
    expect(dashboards).toHaveLength(COMMITTED_UIDS.length);
    expect(lintDashboards(dashboards)).toEqual([]);
  });

  test.each(['production', 'fast'] as const)(
    'with a labelled classifier (with outcomes and a canary) and a regression model, all six dashboards on the %s profile: no findings',
    (profile) => {
      const dashboards = generatedFor(loadQualitySpec(), profile);
      expect(dashboards.map((d) => d.uid).sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
      expect(lintDashboards(dashboards)).toEqual([]);
    },
  );

  test('every waiver in the generator names a rule and gives a sentence of reason', () => {
    const all = [...COMMITTED_UIDS.map(committed), ...generatedFor(loadQualitySpec(), 'production')];
    for (const dashboard of all) {
      for (const waiver of (dashboard as DashboardDoc)._lint_waivers ?? []) {
        expect(Object.keys(DASHBOARD_LINT_RULES)).toContain(waiver.rule);
        expect(waiver.reason).toMatch(/^[A-Z].{20,}[.]$/);
      }
    }
  });
});

describe('each rule fires on a generated dashboard broken one way (mutation tests)', () => {
  test('template-datasource-rule: the datasource variable removed', () => {
    const d = broken(OVERVIEW, (x) => {
      x.templating = { list: (x.templating?.list ?? []).filter((v) => v.type !== 'datasource') };
    });
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'template-datasource-rule',
        dashboard: OVERVIEW,
        message: 'has no datasource variable named "datasource": panels cannot switch Prometheus',
      },
    ]);
  });

  test('template-datasource-rule: the datasource variable labelled otherwise', () => {
    const d = broken(FLEET, (x) => (variable(x, 'datasource').label = 'Prometheus'));
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'template-datasource-rule',
        dashboard: FLEET,
        message: 'the datasource variable is labelled "Prometheus", not "Data source"',
      },
    ]);
  });

  test('regression: template-job-rule fires on a dashboard without a job variable', () => {
    const d = broken(DRIFT, (x) => {
      x.templating = { list: (x.templating?.list ?? []).filter((v) => v.name !== 'job') };
    });
    expect(lintDashboard(d)).toEqual([{ rule: 'template-job-rule', dashboard: DRIFT, message: 'has no job variable' }]);
  });

  test('template-job-rule: a job variable that is single-select', () => {
    const d = broken(OVERVIEW, (x) => (variable(x, 'job').multi = false));
    expect(lintDashboard(d)).toEqual([
      { rule: 'template-job-rule', dashboard: OVERVIEW, message: 'the job variable is not multi-select' },
    ]);
  });

  test('regression: template-instance-rule fires on an instance variable whose "All" is .* (a series without instance would match)', () => {
    const d = broken(OVERVIEW, (x) => (variable(x, 'instance').allValue = '.*'));
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'template-instance-rule',
        dashboard: OVERVIEW,
        message: 'the instance variable has "All" as ".*", not ".+"',
      },
    ]);
  });

  test('template-instance-rule: an instance variable not chained from the job', () => {
    const d = broken(FLEET, (x) => {
      const v = variable(x, 'instance');
      v.query = { query: 'label_values(mlwatch_build_info, instance)' };
      v.definition = 'label_values(mlwatch_build_info, instance)';
    });
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'template-instance-rule',
        dashboard: FLEET,
        message: 'the instance variable is not chained from the job variable (job=~"$job" in its query)',
      },
    ]);
  });

  test('template-label-rule: a variable without a label', () => {
    const d = broken(DRIFT, (x) => delete variable(x, 'feature').label);
    expect(lintDashboard(d)).toEqual([
      { rule: 'template-label-rule', dashboard: DRIFT, message: 'the feature variable has no label' },
    ]);
  });

  test('panel-datasource-rule: a panel pinned to the provisioned datasource', () => {
    const d = broken(
      OVERVIEW,
      (x) => (panel(x, 'Error ratio').datasource = { type: 'prometheus', uid: 'mlwatch-prometheus' }),
    );
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'panel-datasource-rule',
        dashboard: OVERVIEW,
        panel: 'Error ratio',
        message: 'reads datasource "mlwatch-prometheus", not ${datasource}',
      },
    ]);
  });

  test('panel-units-rule: a panel without a unit, and one with a unit Grafana does not know', () => {
    const d = broken(OVERVIEW, (x) => {
      delete panel(x, 'Requests').fieldConfig?.defaults?.unit;
      defined(panel(x, 'Success rate').fieldConfig?.defaults, 'field defaults').unit = 'percents';
    });
    expect(lintDashboard(d)).toEqual([
      { rule: 'panel-units-rule', dashboard: OVERVIEW, panel: 'Requests', message: 'has no unit' },
      {
        rule: 'panel-units-rule',
        dashboard: OVERVIEW,
        panel: 'Success rate',
        message: 'has unit "percents", not one of Grafana\'s',
      },
    ]);
  });

  test('panel-title-description-rule: a panel without a description', () => {
    const d = broken(FLEET, (x) => delete panel(x, 'Scrape duration').description);
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'panel-title-description-rule',
        dashboard: FLEET,
        panel: 'Scrape duration',
        message: 'has no description',
      },
    ]);
  });

  test('target-promql-rule: a query that does not parse (and no other rule guesses at it)', () => {
    const d = broken(OVERVIEW, (x) => setExpr(panel(x, 'Error ratio'), 0, (e) => e.replace('sum(rate(', 'sum(rate((')));
    expect(only(lintDashboard(d))).toEqual([['target-promql-rule', OVERVIEW, 'Error ratio']]);
  });

  test('regression: target-rate-interval-rule fires on a fixed [30d] in the SLO budget panels', () => {
    const d = broken(OVERVIEW, (x) =>
      setExpr(panel(x, 'Availability budget left'), 0, (e) => e.replaceAll('[$__range]', '[30d]')),
    );
    // Both increase() calls of the ratio read the fixed window.
    const message = 'query A: increase() reads [30d], not [$__rate_interval] or [$__range]';
    expect(lintDashboard(d)).toEqual(
      [1, 2].map(() => ({
        rule: 'target-rate-interval-rule',
        dashboard: OVERVIEW,
        panel: 'Availability budget left',
        message,
      })),
    );
  });

  test('target-rate-interval-rule: a fixed [5m] in a range query, and [$__range] outside an instant query', () => {
    const d = broken(DRIFT, (x) => {
      setExpr(panel(x, 'Predictions by class'), 0, (e) => e.replace('[$__rate_interval]', '[5m]'));
      setExpr(panel(x, 'Unseen categories by feature'), 0, (e) => e.replace('[$__rate_interval]', '[$__range]'));
    });
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'target-rate-interval-rule',
        dashboard: DRIFT,
        panel: 'Predictions by class',
        message: 'query A: rate() reads [5m], not [$__rate_interval]',
      },
      {
        rule: 'target-rate-interval-rule',
        dashboard: DRIFT,
        panel: 'Unseen categories by feature',
        message: 'query A: rate() reads [$__range], not [$__rate_interval]',
      },
    ]);
  });

  test('target-job-rule: a query without the job matcher', () => {
    const d = broken(FLEET, (x) => setExpr(panel(x, 'Scrape duration'), 0, (e) => e.replace('job=~"$job", ', '')));
    expect(lintDashboard(d)).toEqual([
      {
        rule: 'target-job-rule',
        dashboard: FLEET,
        panel: 'Scrape duration',
        message: 'query A: scrape_duration_seconds{job="mlwatch-exporter", instance=~"$instance"} has no job=~"$job"',
      },
    ]);
  });

  test('target-instance-rule: one selector of a ratio without the instance matcher', () => {
    const d = broken(OVERVIEW, (x) =>
      setExpr(panel(x, 'Average latency'), 0, (e) =>
        e.replace(', instance=~"$instance"}[$__range])) / ', '}[$__range])) / '),
      ),
    );
    expect(only(lintDashboard(d))).toEqual([['target-instance-rule', OVERVIEW, 'Average latency']]);
  });

  test('regression: the panels the generator waives are found without their waiver, and that is all it waives', () => {
    const d = broken(OVERVIEW, (x) => {
      x._lint_waivers = (x._lint_waivers ?? []).filter((w) => w.panel !== 'Burn rates');
    });
    const findings = lintDashboard(d);
    expect(new Set(only(findings).map((f) => f.join(' ')))).toEqual(
      new Set([`target-job-rule ${OVERVIEW} Burn rates`, `target-instance-rule ${OVERVIEW} Burn rates`]),
    );
  });

  test('unused-waiver-rule: a waiver of a panel that needs none, and one without a reason', () => {
    const d = broken(DRIFT, (x) => {
      x._lint_waivers = [
        ...(x._lint_waivers ?? []),
        { rule: 'target-job-rule', panel: 'Drift window', reason: 'Not needed.' },
      ];
      const waivers = defined(x._lint_waivers, 'waivers');
      waivers[0] = { ...defined(waivers[0], 'a waiver'), reason: '' };
    });
    const findings = lintDashboard(d);
    expect(findings.filter((f) => f.rule === 'unused-waiver-rule').map((f) => [f.panel, f.message])).toEqual([
      [expect.any(String), expect.stringMatching(/^the waiver of target-job-rule gives no reason$/)],
      ['Drift window', 'the waiver of target-job-rule (Not needed.) waives nothing'],
    ]);
    // The waiver without a reason waives nothing: its panel's findings come back.
    expect(findings.filter((f) => f.rule !== 'unused-waiver-rule').map((f) => f.rule)).toEqual(['target-job-rule']);
  });

  test('every rule has a mutation test above', () => {
    const tested = readFileSync(__filename, 'utf8');
    for (const rule of Object.keys(DASHBOARD_LINT_RULES)) expect(tested).toContain(`test('${rule}:`);
  });
});
