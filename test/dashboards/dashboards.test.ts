import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertingContext } from '../../alerting/src/alerting-context';
import { ALERT_DEFINITIONS } from '../../alerting/src/alerts';
import { alertingRules } from '../../alerting/src/alerts/alert-rules';
import { generateAll } from '../../cli/src/generate-all';
import { generationProfile } from '../../alerting/src/generation-profile';
import { ruleGroups } from '../../alerting/src/rule-groups';
import { DASHBOARD_UIDS } from '../../spec/src/conventions';
import { allDashboards } from '../../dashboards/src/dashboards';
import { panelQueries, panelsOf, variablesIn } from '../../dashboards/src/panel-queries';
import { REPO_ROOT, loadEditedDemoSpec } from '../support/demo-spec';
import { objectAt } from '../support/document';
import { metricNamesIn } from '../support/promql-metric-names';
import { buildTestExporter } from '../support/test-exporter';
import { DEMO_VARIABLE_VALUES } from '../support/dashboard-variables';
import { loadQualitySpec } from '../support/quality-spec';

const demoSpec = loadEditedDemoSpec;

const loaded = demoSpec();
const dashboards = allDashboards(loaded.spec);
const panels = (d: Dashboard) => panelsOf(d);
/** The demo's dashboards, and all six as a spec with a labelled classifier, outcomes, a canary and a regression model gets them. */
const structural = [
  ...dashboards.map((d) => [d.uid, d] as const),
  ...allDashboards(loadQualitySpec().spec).map((d) => [`${d.uid} (labelled classifier, regression model)`, d] as const),
];
const exprsOf = (d: Dashboard): string[] => [
  ...panels(d).flatMap((p) => (p.targets ?? []).map((t) => (t as unknown as { expr: string }).expr)),
  ...(d.annotations.list ?? []).map((a) => (a as { expr?: string }).expr ?? ''),
];
/** Grafana's own variables, always defined. */
const BUILT_IN_VARIABLES = new Set(['__rate_interval', '__interval', '__range']);

describe('generated dashboards', () => {
  test("use the uids of the conventions module, which the alerts link to, selecting the alert's model by a variable the dashboard defines", () => {
    // A performance dashboard per task kind the demo spec has (see performance-dashboards.test.ts).
    const models = loaded.spec.models;
    expect(dashboards.map((d) => d.uid)).toEqual([
      DASHBOARD_UIDS.serviceOverview,
      DASHBOARD_UIDS.modelDrift,
      DASHBOARD_UIDS.versionsFleet,
      ...(models.some((m) => m.task !== 'regression' && m.quality !== undefined)
        ? [DASHBOARD_UIDS.classificationPerformance]
        : []),
      ...(models.some((m) => m.task === 'regression') ? [DASHBOARD_UIDS.regressionPerformance] : []),
      ...(models.some((m) => m.outcomes !== undefined || m.canary !== undefined)
        ? [DASHBOARD_UIDS.businessVersions]
        : []),
    ]);
    const ctx = alertingContext(loaded.spec, generationProfile('production', loaded.spec));
    for (const definition of ALERT_DEFINITIONS) {
      for (const rule of alertingRules(ctx, definition)) {
        const uid = /\/d\/([^?]+)/.exec(rule.annotations['dashboard_url'] as string)?.[1];
        expect(dashboards.map((d) => d.uid)).toContain(uid);
        // A per-model alert selects its model through a variable the linked dashboard defines.
        const variables = [...(rule.annotations['dashboard_url'] as string).matchAll(/[?&]var-([^=]+)=/g)].map(
          (m) => m[1],
        );
        const dashboard = dashboards.find((d) => d.uid === uid);
        const defined = (dashboard?.templating.list ?? []).map((v) => v.name);
        expect([rule.alert, variables.filter((v) => !defined.includes(v as string))]).toEqual([rule.alert, []]);
        if (definition.perModel) expect(variables).toEqual(['model']);
      }
    }
  });

  test.each(structural)(
    "%s: unique panel ids (a collapsed row's panels included), refIds set and unique per panel",
    (_, dashboard) => {
      const ids = (dashboard.panels ?? []).flatMap((p) => [
        p.id,
        ...(p.type === 'row' ? (p as RowPanel).panels.map((inner) => inner.id) : []),
      ]);
      expect(ids.every((id) => typeof id === 'number' && id > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of panels(dashboard)) {
        const refIds = (panel.targets ?? []).map((t) => (t as { refId?: string }).refId);
        expect(refIds.length).toBeGreaterThan(0);
        expect(refIds.every((r) => typeof r === 'string' && r.length > 0)).toBe(true);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    },
  );

  test.each(structural)('%s: every panel has a unit and a one-sentence description', (_, dashboard) => {
    for (const panel of panels(dashboard)) {
      expect(panel.fieldConfig?.defaults.unit).toBeTruthy();
      expect(panel.description).toMatch(/^\S.*[.]$/);
      expect(panel.description).not.toMatch(/[.] [A-Z]/);
    }
  });

  test.each(structural)('%s: every grid line sums to 24 and no panels overlap', (_, dashboard) => {
    const boxes = (dashboard.panels ?? []).map((p) => p.gridPos as { x: number; y: number; w: number; h: number });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]] as [(typeof boxes)[0], (typeof boxes)[0]];
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
    const widthByLine = new Map<number, number>();
    for (const box of boxes) widthByLine.set(box.y, (widthByLine.get(box.y) ?? 0) + box.w);
    for (const width of widthByLine.values()) expect(width).toBe(24);
  });

  test.each(structural)('%s: every variable used is defined', (_, dashboard) => {
    const defined = new Set((dashboard.templating.list ?? []).map((v) => v.name));
    const definitions = (dashboard.templating.list ?? []).map((v) => (v as { definition?: string }).definition ?? '');
    const datasources = [
      ...panels(dashboard).map((p) => p.datasource?.uid ?? ''),
      ...(dashboard.annotations.list ?? []).map((a) => a.datasource?.uid ?? ''),
    ];
    for (const text of [...exprsOf(dashboard), ...definitions, ...datasources]) {
      for (const name of variablesIn(text)) expect(BUILT_IN_VARIABLES.has(name) || defined.has(name)).toBe(true);
    }
  });

  test('link to each other, keeping time and variables, and mark version changes', () => {
    for (const dashboard of dashboards) {
      expect(dashboard.links).toEqual([
        expect.objectContaining({ type: 'dashboards', tags: ['mlwatch'], keepTime: true, includeVars: true }),
      ]);
      expect(dashboard.tags).toContain('mlwatch');
      expect((dashboard.annotations.list ?? []).map((a) => a.name)).toContain('Model version changes');
    }
  });

  test('thresholds come from the spec, the same numbers the alerts use', () => {
    const stepsOf = (d: Dashboard[], uid: string, title: string) =>
      panelsOf(d.find((x) => x.uid === uid) as Dashboard)
        .find((p) => p.title === title)
        ?.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);
    expect(stepsOf(dashboards, DASHBOARD_UIDS.serviceOverview, 'Latency p50 / p95 / p99')).toEqual([null, 0.5]);
    const edited = allDashboards(demoSpec((s) => (objectAt(s, 'alerts')['latency_p99_seconds'] = 0.8)).spec);
    expect(stepsOf(edited, DASHBOARD_UIDS.serviceOverview, 'Latency p50 / p95 / p99')).toEqual([null, 0.8]);
    expect(stepsOf(dashboards, DASHBOARD_UIDS.modelDrift, 'Drift share')).toEqual([
      null,
      loaded.spec.drift.dataset_drift_share,
    ]);
  });
});

describe('every metric a panel queries exists', () => {
  test('in the exporter registry, a generated recording rule, or a named outside source', async () => {
    const exporter = buildTestExporter();
    const exposition = (await request(exporter.app).get('/metrics')).text;
    const exported = new Set<string>();
    for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const [name, type] = [match[1] as string, match[2] as string];
      exported.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name}${suffix}`);
    }
    const ctx = alertingContext(loaded.spec, generationProfile('production', loaded.spec));
    const recorded = new Set(
      ruleGroups(ctx, ALERT_DEFINITIONS)
        .flatMap((g) => g.rules)
        .flatMap((r) => ('record' in r ? [r.record] : [])),
    );
    // Prometheus's own series and node-exporter's host metrics.
    const outside = (name: string) =>
      ['up', 'scrape_duration_seconds', 'ALERTS'].includes(name) || name.startsWith('node_');
    const unknown: string[] = [];
    for (const dashboard of dashboards) {
      for (const expr of exprsOf(dashboard)) {
        for (const name of metricNamesIn(expr))
          if (!exported.has(name) && !recorded.has(name) && !outside(name)) unknown.push(`${dashboard.uid}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
    await exporter.deps.driftMonitor.stop();
  });

  test('the metric-name extraction finds names and skips functions, labels, strings and durations', () => {
    expect(
      metricNamesIn(
        'sum by (le) (rate(a_bucket{model=~"$model", le="0.25"}[5m])) / on (model) group_left () b:c:d > 1e-9 or vector(0)',
      ),
    ).toEqual(['a_bucket', 'b:c:d']);
  });
});

describe("panelQueries (for the stack issue's end-to-end check)", () => {
  const values = DEMO_VARIABLE_VALUES;

  test('lists every panel query with every variable substituted', () => {
    const queries = panelQueries(dashboards, values);
    const targets = dashboards.reduce(
      (n, d) => n + panels(d).reduce((m, p: Panel) => m + (p.targets ?? []).length, 0),
      0,
    );
    expect(queries).toHaveLength(targets);
    for (const query of queries) expect(query.expr).not.toContain('$');
    expect(queries.filter((q) => q.needsNodeExporter).map((q) => q.panel)).toEqual([
      'Host CPU busy',
      'Host memory available',
    ]);
  });

  test('refuses a variable without a value', () => {
    expect(() => panelQueries(dashboards, { model: 'fraud' })).toThrow(
      /no value for variable \$(job|instance|version|feature)/,
    );
  });
});

describe('generate', () => {
  test.each(dashboards.map((d) => [d.uid as string]))(
    'the SDK output for %s matches its committed golden JSON',
    (uid) => {
      const file = generateAll(loaded, { profile: 'production' }).find(
        (f) => f.path === `dashboards/generated/${uid}.json`,
      );
      expect(file?.content).toBe(readFileSync(path.join(REPO_ROOT, 'dashboards', 'generated', `${uid}.json`), 'utf8'));
    },
  );

  test('writes the dashboards and provisioning next to the alerting files', () => {
    const paths = generateAll(loaded, { profile: 'production' }).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'dashboards/generated/mlwatch-service-overview.json',
        'dashboards/generated/mlwatch-model-drift.json',
        'dashboards/generated/mlwatch-versions-fleet.json',
        'dashboards/provisioning/datasources/mlwatch.yml',
        'dashboards/provisioning/dashboards/mlwatch.yml',
      ]),
    );
  });
});
