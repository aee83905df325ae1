import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { DASHBOARD_UIDS, METRICS } from '../../spec/src/conventions';
import { allDashboards } from '../../dashboards/src/dashboards';
import { panelsOf } from '../../dashboards/src/panel-queries';
import { loadEditedDemoSpec } from '../support/demo-spec';
import { defined } from '../support/defined';
import { arrayAt, objectAt } from '../support/document';

const loaded = loadEditedDemoSpec();
const dashboards = allDashboards(loaded.spec);
const byUid = (uid: string, from: Dashboard[] = dashboards): Dashboard =>
  defined(
    from.find((d) => d.uid === uid),
    `dashboard ${uid}`,
  );
const panel = (uid: string, title: string, from: Dashboard[] = dashboards): Panel =>
  defined(
    panelsOf(byUid(uid, from)).find((p) => p.title === title),
    `panel "${title}" of ${uid}`,
  );
const exprs = (p: Panel): string[] => (p.targets ?? []).map((t) => (t as unknown as { expr: string }).expr);
const stepsOf = (p: Panel) => p.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);

describe('the service overview opens with the time range at a glance', () => {
  const overview = byUid(DASHBOARD_UIDS.serviceOverview);
  const ordered = (overview.panels ?? []).filter((p) => p.type !== 'row');

  test('regression: the first line is requests, success rate, average, p50, p95 and p99 latency over the dashboard range', () => {
    const first = ordered.slice(0, 6) as Panel[];
    expect(first.map((p) => [p.type, p.title])).toEqual([
      ['stat', 'Requests'],
      ['stat', 'Success rate'],
      ['stat', 'Average latency'],
      ['stat', 'p50 latency'],
      ['stat', 'p95 latency'],
      ['stat', 'p99 latency'],
    ]);
    expect(first.map((p) => p.gridPos?.y)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(first.map((p) => p.fieldConfig?.defaults.unit)).toEqual(['short', 'percentunit', 's', 's', 's', 's']);
    for (const p of first) {
      for (const target of p.targets ?? []) {
        expect((target as { instant?: boolean }).instant).toBe(true);
        expect((target as unknown as { expr: string }).expr).toContain('[$__range]');
      }
    }
    expect(exprs(first[5] as Panel)).toEqual([
      expect.stringMatching(/^histogram_quantile\(0\.99, sum by \(le\) \(increase\(/),
    ]);
    expect(stepsOf(first[5] as Panel)).toEqual([null, loaded.spec.alerts.latency_p99_seconds]);
    expect(stepsOf(first[1] as Panel)).toEqual([null, loaded.spec.slo.availability_objective_percent / 100]);
  });

  test('regression: the firing alerts follow right under the summary', () => {
    const alerts = ordered[6] as Panel;
    expect(alerts.title).toBe('Firing alerts');
    expect(exprs(alerts)).toEqual(['ALERTS{alertstate="firing"}']);
    expect(alerts.gridPos?.w).toBe(24);
  });

  test('regression: the SLO budget panels read the dashboard range, not a fixed [30d]', () => {
    for (const title of ['Availability budget left', 'Latency budget left']) {
      const p = panel(DASHBOARD_UIDS.serviceOverview, title);
      expect(exprs(p).join(' ')).not.toMatch(/\[30d\]/);
      expect(exprs(p).join(' ')).toContain('[$__range]');
    }
  });
});

describe('units', () => {
  test('regression: no 0/1 verdict is drawn on a percent axis', () => {
    const verdicts = [METRICS.modelDatasetDrift, METRICS.featureDrifted, METRICS.modelDrifted];
    for (const dashboard of dashboards) {
      for (const p of panelsOf(dashboard)) {
        if (exprs(p).some((e) => verdicts.some((v) => e.includes(v))))
          expect([p.title, p.fieldConfig?.defaults.unit]).not.toEqual([p.title, 'percentunit']);
      }
    }
  });

  test('regression: rates of events are drawn as rates, and the confidence heatmap counts predictions on a confidence axis', () => {
    for (const dashboard of dashboards) {
      for (const p of panelsOf(dashboard)) {
        const isRate = exprs(p).every((e) =>
          /^sum( by \([a-z, ]+\) )?\(rate\(mlwatch_[a-z_]+_total\{[^}]*\}\[\$__rate_interval\]\)\)$/.test(e),
        );
        if (isRate && exprs(p).length > 0)
          expect([p.title, p.fieldConfig?.defaults.unit]).toEqual([p.title, expect.stringMatching(/^(reqps|eps)$/)]);
      }
    }
    const heatmap = panel(DASHBOARD_UIDS.modelDrift, 'Confidence heatmap');
    expect(heatmap.fieldConfig?.defaults.unit).toBe('short');
    expect((heatmap.options as { yAxis?: { unit?: string } }).yAxis?.unit).toBe('percentunit');
  });
});

describe('drift tests with their thresholds', () => {
  test("regression: each distance test's score is drawn with its own threshold from the spec", () => {
    const { thresholds } = loaded.spec.drift;
    expect(stepsOf(panel(DASHBOARD_UIDS.modelDrift, 'Jensen–Shannon distance by feature'))).toEqual([
      null,
      thresholds.jensenshannon,
    ]);
    expect(stepsOf(panel(DASHBOARD_UIDS.modelDrift, 'Wasserstein distance (normalised) by feature'))).toEqual([
      null,
      thresholds.wasserstein,
    ]);
    expect(exprs(panel(DASHBOARD_UIDS.modelDrift, 'Jensen–Shannon distance by feature'))[0]).toContain(
      'test="jensenshannon"',
    );
    const edited = allDashboards(
      loadEditedDemoSpec((s) => {
        objectAt(objectAt(s, 'drift'), 'thresholds')['wasserstein'] = 0.3;
      }).spec,
    );
    expect(stepsOf(panel(DASHBOARD_UIDS.modelDrift, 'Wasserstein distance (normalised) by feature', edited))).toEqual([
      null,
      0.3,
    ]);
  });

  test('a feature that declares a p-value test gets its corrected p-value drawn against alpha; an unused test gets no panel', () => {
    const edited = allDashboards(
      loadEditedDemoSpec((s) => {
        const model = objectAt(arrayAt(s, 'models')[0]);
        const numeric = defined(
          arrayAt(model, 'features')
            .map((f) => objectAt(f))
            .find((f) => f['type'] === 'numeric'),
          'a numeric feature',
        );
        numeric['drift_test'] = 'ks';
      }).spec,
    );
    const ks = panel(DASHBOARD_UIDS.modelDrift, 'Kolmogorov–Smirnov: corrected p-value by feature', edited);
    expect(stepsOf(ks)).toEqual([null, loaded.spec.drift.alpha]);
    expect(exprs(ks)[0]).toContain(`${METRICS.featureDriftCorrectedPvalue}{`);
    const titles = panelsOf(byUid(DASHBOARD_UIDS.modelDrift)).map((p) => p.title);
    expect(titles).not.toContain('PSI by feature');
    expect(titles).not.toContain('Kolmogorov–Smirnov: corrected p-value by feature');
  });

  test('regression: the feature drift table shows the corrected p-value right beside the verdict', () => {
    const table = panel(DASHBOARD_UIDS.modelDrift, 'Feature drift');
    const organize = defined(
      (table.transformations ?? []).find((t) => t.id === 'organize'),
      'the organize transformation',
    );
    const columns = Object.values((organize.options as { renameByName: Record<string, string> }).renameByName);
    expect(columns.slice(-3)).toEqual(['p-value', 'Corrected p-value', 'Drifted']);
    expect(exprs(table)[2]).toContain(METRICS.featureDriftCorrectedPvalue);
  });
});

describe('variables', () => {
  test("regression: README's variables are each dashboard's: datasource, job and instance, then model, and version and feature where they filter", () => {
    const names = (uid: string) => (byUid(uid).templating.list ?? []).map((v) => v.name);
    expect(names(DASHBOARD_UIDS.serviceOverview)).toEqual(['datasource', 'job', 'instance', 'model']);
    expect(names(DASHBOARD_UIDS.modelDrift)).toEqual(['datasource', 'job', 'instance', 'model', 'version', 'feature']);
    expect(names(DASHBOARD_UIDS.versionsFleet)).toEqual(['datasource', 'job', 'instance', 'model', 'version']);
    expect(names(DASHBOARD_UIDS.businessVersions)).toEqual(['datasource', 'job', 'instance', 'model', 'event']);
  });

  test('job and instance are chained from the datasource: instance from the job, model from both', () => {
    // The performance dashboards list only the models of their task kind: the demo's fraud and spend;
    // Business & versions only the models with outcomes or a canary: fraud.
    const onlyModel: Record<string, string> = {
      [DASHBOARD_UIDS.classificationPerformance]: ', model=~"fraud"',
      [DASHBOARD_UIDS.regressionPerformance]: ', model=~"spend"',
      [DASHBOARD_UIDS.businessVersions]: ', model=~"fraud"',
    };
    expect(dashboards.map((d) => d.uid)).toEqual(expect.arrayContaining(Object.keys(onlyModel)));
    for (const dashboard of dashboards) {
      const list = dashboard.templating.list ?? [];
      const definition = (name: string) =>
        (list.find((v) => v.name === name) as { definition?: string } | undefined)?.definition;
      expect(definition('job')).toBe(`label_values(${METRICS.buildInfo}, job)`);
      expect(definition('instance')).toBe(`label_values(${METRICS.buildInfo}{job=~"$job"}, instance)`);
      expect(definition('model')).toBe(
        `label_values(${METRICS.modelInfo}{job=~"$job", instance=~"$instance"${onlyModel[dashboard.uid ?? ''] ?? ''}}, model)`,
      );
    }
  });
});
