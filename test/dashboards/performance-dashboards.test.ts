import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkGenerated, writeGenerated } from '../../alerting/src/write-generated';
import { generateAll } from '../../cli/src/generate-all';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { GENERATED_DASHBOARDS_DIR } from '../../dashboards/src/generate-dashboards';
import { GRAFANA_DASHBOARDS_PATH, dashboardsProvisioning } from '../../dashboards/src/provisioning';
import type { Spec } from '../../spec/src/schema';
import { allDashboards } from '../../dashboards/src/dashboards';
import { panelsOf } from '../../dashboards/src/panel-queries';
import { DEMO_SPEND_MODEL, loadEditedDemoSpec, removeModel } from '../support/demo-spec';
import { defined } from '../support/defined';
import { arrayAt, objectAt } from '../support/document';
import { metricNamesIn } from '../support/promql-metric-names';
import { FRAUD_QUALITY, PRICE_MODEL, fraudModel, loadQualitySpec } from '../support/quality-spec';

const CLASSIFICATION = DASHBOARD_UIDS.classificationPerformance;
const REGRESSION = DASHBOARD_UIDS.regressionPerformance;
const BUSINESS = DASHBOARD_UIDS.businessVersions;

const uidsOf = (spec: Spec) => allDashboards(spec).map((d) => d.uid);
const byUid = (dashboards: Dashboard[], uid: string): Dashboard =>
  defined(
    dashboards.find((d) => d.uid === uid),
    `dashboard ${uid}`,
  );
const panel = (dashboard: Dashboard, title: string): Panel =>
  defined(
    panelsOf(dashboard).find((p) => p.title === title),
    `panel "${title}" of ${dashboard.uid ?? ''}`,
  );
const exprs = (p: Panel): string[] => (p.targets ?? []).map((t) => (t as unknown as { expr: string }).expr);
const stepsOf = (p: Panel) => p.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);
const titles = (d: Dashboard) => panelsOf(d).map((p) => p.title);
const rows = (d: Dashboard) => (d.panels ?? []).filter((p): p is RowPanel => p.type === 'row');
const definitionOf = (d: Dashboard, name: string) =>
  (d.templating.list?.find((v) => v.name === name) as { definition?: string } | undefined)?.definition;

/** A second classifier with its own windows and floors, to see the per-model windows and thresholds. */
const CHURN_MODEL = {
  name: 'churn.v2',
  task: 'multiclass_classification',
  classes: ['stay', 'leave', 'unknown'],
  versions: [{ name: 'a', weight: 1 }],
  features: [{ name: 'tenure', type: 'numeric' }],
  quality: { windows_seconds: [1800], accuracy_floor: 0.7, coverage_floor: 0.5 },
};

/** The demo spec with its fraud classifier only (the demo's regression model removed), then `edit`. */
const classifierOnly = (edit: (spec: Record<string, unknown>) => void = () => undefined) =>
  loadEditedDemoSpec((s) => {
    removeModel(s, DEMO_SPEND_MODEL);
    edit(s);
  });

/** The demo spec with only the regression model. */
const regressionOnly = (edit: (model: Record<string, unknown>) => void = () => undefined) =>
  loadEditedDemoSpec((s) => {
    const model = structuredClone(PRICE_MODEL) as Record<string, unknown>;
    edit(model);
    s['models'] = [model];
  }).spec;

describe('the performance dashboards exist only for the task kinds the spec has', () => {
  test('the demo classifier without quality gets neither (its outcomes and canary the business dashboard)', () => {
    const spec = classifierOnly((s) => delete fraudModel(s)['quality']).spec;
    expect(uidsOf(spec)).toEqual([
      DASHBOARD_UIDS.serviceOverview,
      DASHBOARD_UIDS.modelDrift,
      DASHBOARD_UIDS.versionsFleet,
      BUSINESS,
    ]);
  });

  test('a classifier with quality gets the classification dashboard only', () => {
    const spec = classifierOnly((s) => (fraudModel(s)['quality'] = structuredClone(FRAUD_QUALITY))).spec;
    expect(uidsOf(spec).slice(3)).toEqual([CLASSIFICATION, BUSINESS]);
  });

  test('a regression model gets the regression dashboard, with labels or without; a classifier without quality none', () => {
    const withoutLabels = classifierOnly((s) => {
      delete fraudModel(s)['quality'];
      const model = structuredClone(PRICE_MODEL) as Record<string, unknown>;
      delete model['quality'];
      arrayAt(s, 'models').push(model);
    }).spec;
    expect(uidsOf(withoutLabels).slice(3)).toEqual([REGRESSION, BUSINESS]);
    expect(uidsOf(loadQualitySpec().spec).slice(3)).toEqual([CLASSIFICATION, REGRESSION, BUSINESS]);
  });

  test('a regression model without labels gets its prediction values, and no error or label panel', () => {
    const dashboard = byUid(allDashboards(regressionOnly((m) => delete m['quality'])), REGRESSION);
    expect(titles(dashboard)).toEqual([
      'Predictions',
      'p50 prediction value',
      'p90 prediction value',
      'Prediction value p10 / p50 / p90 by version',
      'Prediction value heatmap',
      'Mean prediction value by version',
    ]);
  });
});

describe('classification performance', () => {
  const dashboards = allDashboards(loadQualitySpec().spec);
  const dashboard = byUid(dashboards, CLASSIFICATION);
  const model = 'model=~"$model", version=~"$version"';
  const targets = 'job=~"$job", instance=~"$instance"';

  test('opens with a line of stats over the alert window, then realised beside estimated, the matrix and the labels', () => {
    const first = (dashboard.panels ?? []).filter((p) => p.type !== 'row').slice(0, 6) as Panel[];
    expect(first.map((p) => [p.type, p.title, p.gridPos?.y])).toEqual([
      ['stat', 'Accuracy', 1],
      ['stat', 'Estimated accuracy', 1],
      ['stat', 'Macro F1', 1],
      ['stat', 'Estimate gap', 1],
      ['stat', 'Label coverage', 1],
      ['stat', 'Labels in window', 1],
    ]);
    expect(rows(dashboard).map((r) => r.title)).toEqual([
      "At a glance (each model's alert window: 1h)",
      'Realised and estimated, by version',
      'Confusion matrix',
      'Labels: coverage, delay, results',
    ]);
  });

  test("each panel reads the recording rules of the model's first quality window, realised beside estimated", () => {
    const w = '1h';
    const at = (name: string) => `${name}{${model}}`;
    expect(exprs(panel(dashboard, 'Accuracy'))).toEqual([at(RECORDS.accuracy(w))]);
    expect(exprs(panel(dashboard, 'Estimated accuracy'))).toEqual([at(RECORDS.estimatedAccuracy(w))]);
    expect(exprs(panel(dashboard, 'Macro F1'))).toEqual([at(RECORDS.macroF1(w))]);
    expect(exprs(panel(dashboard, 'Estimate gap'))).toEqual([
      `abs(${at(RECORDS.labelledEstimatedAccuracy(w))} - ${at(RECORDS.accuracy(w))})`,
    ]);
    expect(exprs(panel(dashboard, 'Label coverage'))).toEqual([at(RECORDS.labelCoverage(w))]);
    expect(exprs(panel(dashboard, 'Labels in window'))).toEqual([at(RECORDS.labelsIncrease(w))]);
    expect(exprs(panel(dashboard, 'Accuracy: realised and estimated'))).toEqual([
      at(RECORDS.accuracy(w)),
      at(RECORDS.estimatedAccuracy(w)),
    ]);
    expect(exprs(panel(dashboard, 'Estimated minus realised accuracy'))).toEqual([
      `${at(RECORDS.labelledEstimatedAccuracy(w))} - ${at(RECORDS.accuracy(w))}`,
    ]);
    expect(exprs(panel(dashboard, 'Precision by class'))).toEqual([
      at(RECORDS.precision(w)),
      at(RECORDS.estimatedPrecision(w)),
    ]);
    expect(exprs(panel(dashboard, 'Recall by class'))).toEqual([at(RECORDS.recall(w)), at(RECORDS.estimatedRecall(w))]);
    expect(exprs(panel(dashboard, 'F1 by class'))).toEqual([at(RECORDS.f1(w)), at(RECORDS.estimatedF1(w))]);
    expect(exprs(panel(dashboard, 'Macro F1 by version'))).toEqual([at(RECORDS.macroF1(w))]);
    // Every window of quality.windows_seconds, formatted as the rules name them.
    expect(exprs(panel(dashboard, 'Accuracy by window'))).toEqual([
      at(RECORDS.accuracy('1h')),
      at(RECORDS.accuracy('1d')),
    ]);
    expect(exprs(panel(dashboard, 'Label coverage by version'))).toEqual([at(RECORDS.labelCoverage(w))]);
  });

  test('the confusion matrix counts labels by predicted and actual class over the first window, as a matrix', () => {
    const matrix = panel(dashboard, 'Confusion matrix');
    expect(exprs(matrix)).toEqual([
      `sum by (predicted, actual) (increase(${METRICS.labelsTotal}{${model}, ${targets}}[1h]))`,
    ]);
    expect((matrix.targets?.[0] as { instant?: boolean; format?: string }).format).toBe('table');
    expect(matrix.transformations).toContainEqual({
      id: 'groupingToMatrix',
      options: { rowField: 'predicted', columnField: 'actual', valueField: 'Value' },
    });
  });

  test('label delay percentiles come from the delay histogram, label results by result', () => {
    expect(exprs(panel(dashboard, 'Label delay p50 / p90 / p99'))).toEqual(
      [0.5, 0.9, 0.99].map(
        (q) =>
          `histogram_quantile(${q}, sum by (le) (rate(${METRICS.labelDelaySeconds}_bucket{${model}, ${targets}}[$__rate_interval])))`,
      ),
    );
    expect(exprs(panel(dashboard, 'Label results'))).toEqual([
      `sum by (result) (rate(${METRICS.labelEventsTotal}{${targets}}[$__rate_interval]))`,
    ]);
  });

  test('the model variable lists the classifiers with quality only', () => {
    expect((dashboard.templating.list ?? []).map((v) => v.name)).toEqual([
      'datasource',
      'job',
      'instance',
      'model',
      'version',
    ]);
    expect(definitionOf(dashboard, 'model')).toBe(
      `label_values(${METRICS.modelInfo}{${targets}, model=~"fraud"}, model)`,
    );
  });

  test('thresholds come from the quality section: floors red below, the estimate gap red from its maximum', () => {
    expect(stepsOf(panel(dashboard, 'Accuracy'))).toEqual([null, FRAUD_QUALITY.accuracy_floor]);
    expect(stepsOf(panel(dashboard, 'Accuracy: realised and estimated'))).toEqual([null, FRAUD_QUALITY.accuracy_floor]);
    expect(stepsOf(panel(dashboard, 'Estimated accuracy'))).toEqual([null, FRAUD_QUALITY.estimated_accuracy_floor]);
    expect(stepsOf(panel(dashboard, 'Estimate gap'))).toEqual([null, FRAUD_QUALITY.max_estimate_gap]);
    expect(panel(dashboard, 'Estimate gap').fieldConfig?.defaults.thresholds?.steps.map((s) => s.color)).toEqual([
      'green',
      'red',
    ]);
    expect(panel(dashboard, 'Accuracy').fieldConfig?.defaults.thresholds?.steps.map((s) => s.color)).toEqual([
      'red',
      'green',
    ]);
    expect(stepsOf(panel(dashboard, 'Recall by class'))).toEqual([null, 0.6]);
    expect(stepsOf(panel(dashboard, 'Label coverage'))).toEqual([null, FRAUD_QUALITY.coverage_floor]);
    expect(stepsOf(panel(dashboard, 'Labels in window'))).toEqual([null, FRAUD_QUALITY.min_labels]);
    const edited = byUid(
      allDashboards(loadQualitySpec((s) => (objectAt(fraudModel(s), 'quality')['accuracy_floor'] = 0.8)).spec),
      CLASSIFICATION,
    );
    expect(stepsOf(panel(edited, 'Accuracy'))).toEqual([null, 0.8]);
    expect(panel(edited, 'Accuracy').description).toContain('accuracy_floor 0.8');
  });

  test('two classifiers with different windows: each is read at its own alert window, and differing floors are named, not drawn', () => {
    const two = byUid(
      allDashboards(loadQualitySpec((s) => arrayAt(s, 'models').push(structuredClone(CHURN_MODEL))).spec),
      CLASSIFICATION,
    );
    expect(exprs(panel(two, 'Accuracy'))).toEqual([
      `${RECORDS.accuracy('1h')}{model=~"fraud", ${model}} or ${RECORDS.accuracy('30m')}{model=~"churn\\\\.v2", ${model}}`,
    ]);
    expect(exprs(panel(two, 'Estimate gap'))).toEqual([
      `abs(${RECORDS.labelledEstimatedAccuracy('1h')}{model=~"fraud", ${model}} - ${RECORDS.accuracy('1h')}{model=~"fraud", ${model}} or ${RECORDS.labelledEstimatedAccuracy('30m')}{model=~"churn\\\\.v2", ${model}} - ${RECORDS.accuracy('30m')}{model=~"churn\\\\.v2", ${model}})`,
    ]);
    expect(exprs(panel(two, 'Confusion matrix'))).toEqual([
      `sum by (predicted, actual) (increase(${METRICS.labelsTotal}{${model}, ${targets}, model=~"fraud"}[1h])) or sum by (predicted, actual) (increase(${METRICS.labelsTotal}{${model}, ${targets}, model=~"churn\\\\.v2"}[30m]))`,
    ]);
    expect(exprs(panel(two, 'Accuracy by window'))).toEqual(
      ['1h', '1d', '30m'].map((w) => `${RECORDS.accuracy(w)}{${model}}`),
    );
    expect(stepsOf(panel(two, 'Accuracy'))).toEqual([null]);
    expect(panel(two, 'Accuracy').description).toContain('accuracy_floor: fraud 0.9, churn.v2 0.7');
    // Both agree on the coverage floor: drawn.
    expect(stepsOf(panel(two, 'Label coverage'))).toEqual([null, 0.5]);
    expect(definitionOf(two, 'model')).toContain('model=~"fraud|churn\\\\.v2"');
  });
});

describe('regression performance', () => {
  const dashboard = byUid(allDashboards(loadQualitySpec().spec), REGRESSION);
  const filters = 'model=~"$model", version=~"$version", job=~"$job", instance=~"$instance"';
  const at = (name: string) => `${name}{model=~"$model", version=~"$version"}`;

  test('MAE and RMSE per version over the alert window, against the ceilings of the spec', () => {
    expect(exprs(panel(dashboard, 'MAE'))).toEqual([at(RECORDS.mae('30m'))]);
    expect(exprs(panel(dashboard, 'RMSE by version'))).toEqual([at(RECORDS.rmse('30m'))]);
    expect(stepsOf(panel(dashboard, 'MAE'))).toEqual([null, PRICE_MODEL.quality.mae_ceiling]);
    expect(stepsOf(panel(dashboard, 'MAE by version'))).toEqual([null, PRICE_MODEL.quality.mae_ceiling]);
    expect(stepsOf(panel(dashboard, 'RMSE'))).toEqual([null, PRICE_MODEL.quality.rmse_ceiling]);
    expect(panel(dashboard, 'RMSE').fieldConfig?.defaults.thresholds?.steps.map((s) => s.color)).toEqual([
      'green',
      'red',
    ]);
    expect(stepsOf(panel(dashboard, 'Labels in window'))).toEqual([null, PRICE_MODEL.quality.min_labels]);
    const edited = byUid(
      allDashboards(regressionOnly((m) => ((m['quality'] as Record<string, unknown>)['mae_ceiling'] = 3))),
      REGRESSION,
    );
    expect(stepsOf(panel(edited, 'MAE'))).toEqual([null, 3]);
  });

  test('the error and value distributions come from their histograms', () => {
    expect(exprs(panel(dashboard, 'Absolute error heatmap'))).toEqual([
      `sum by (le) (increase(${METRICS.regressionAbsoluteError}_bucket{${filters}}[$__rate_interval]))`,
    ]);
    expect(exprs(panel(dashboard, 'Absolute error p50 / p90 / p99'))[2]).toBe(
      `histogram_quantile(0.99, sum by (le) (rate(${METRICS.regressionAbsoluteError}_bucket{${filters}}[$__rate_interval])))`,
    );
    expect(exprs(panel(dashboard, 'Prediction value p10 / p50 / p90 by version'))[1]).toBe(
      `histogram_quantile(0.5, sum by (version, le) (rate(${METRICS.predictionValue}_bucket{${filters}}[$__rate_interval])))`,
    );
    expect(exprs(panel(dashboard, 'Mean prediction value by version'))).toEqual([
      `sum by (version) (rate(${METRICS.predictionValue}_sum{${filters}}[$__rate_interval])) / sum by (version) (rate(${METRICS.predictionValue}_count{${filters}}[$__rate_interval]))`,
    ]);
    expect(exprs(panel(dashboard, 'p90 prediction value'))).toEqual([
      `histogram_quantile(0.9, sum by (le) (increase(${METRICS.predictionValue}_bucket{${filters}}[$__range])))`,
    ]);
  });

  test('the model variable lists the regression models only', () => {
    expect((dashboard.templating.list ?? []).map((v) => v.name)).toEqual([
      'datasource',
      'job',
      'instance',
      'model',
      'version',
    ]);
    expect(definitionOf(dashboard, 'model')).toBe(
      `label_values(${METRICS.modelInfo}{job=~"$job", instance=~"$instance", model=~"price"}, model)`,
    );
  });
});

describe('class and confidence panels only for classifiers', () => {
  const classPanels = [
    'Predictions by class',
    'Class share by version',
    'Confidence percentiles',
    'Confidence heatmap',
  ];

  test('regression: a spec of regression models only gets no class or confidence panel, and its prediction values where the class shares were', () => {
    const dashboards = allDashboards(regressionOnly());
    const drift = byUid(dashboards, DASHBOARD_UIDS.modelDrift);
    const fleet = byUid(dashboards, DASHBOARD_UIDS.versionsFleet);
    for (const d of [drift, fleet]) {
      expect(titles(d).filter((t) => classPanels.includes(t ?? '') || t === 'Mean confidence by version')).toEqual([]);
      for (const p of panelsOf(d)) {
        expect(exprs(p).join(' ')).not.toContain(METRICS.predictedClassTotal);
        expect(exprs(p).join(' ')).not.toContain(METRICS.predictionConfidence);
      }
    }
    // First row of the drift dashboard: the values, where a classifier's classes are.
    expect(rows(drift)[0]?.title).toBe('Prediction values');
    expect(titles(drift).slice(0, 2)).toEqual([
      'Prediction value p10 / p50 / p90 by version',
      'Prediction value heatmap',
    ]);
    expect(titles(fleet)).toEqual(
      expect.arrayContaining(['Mean prediction value by version', 'Prediction value p10 / p50 / p90 by version']),
    );
  });

  test('a spec of classifiers only keeps its class and confidence rows open, and gets no value panel', () => {
    const drift = byUid(allDashboards(classifierOnly().spec), DASHBOARD_UIDS.modelDrift);
    expect(
      rows(drift)
        .slice(0, 2)
        .map((r) => [r.title, r.collapsed]),
    ).toEqual([
      ['Predictions', false],
      ['Confidence', false],
    ]);
    expect(titles(drift)).toEqual(expect.arrayContaining(classPanels));
    expect(titles(drift).filter((t) => (t ?? '').startsWith('Prediction value'))).toEqual([]);
  });

  test('both kinds: each kind its own collapsed rows, named after their models, queries kept to those models', () => {
    const dashboards = allDashboards(loadQualitySpec().spec);
    const drift = byUid(dashboards, DASHBOARD_UIDS.modelDrift);
    expect(
      rows(drift)
        .slice(0, 3)
        .map((r) => [r.title, r.collapsed, r.panels.map((p) => p.title)]),
    ).toEqual([
      ['Predictions (classifiers: fraud)', true, ['Predictions by class', 'Class share by version']],
      ['Confidence (classifiers: fraud)', true, ['Confidence percentiles', 'Confidence heatmap']],
      [
        'Prediction values (regression models: price)',
        true,
        ['Prediction value p10 / p50 / p90 by version', 'Prediction value heatmap'],
      ],
    ]);
    // Closed, they take one grid line each: the next row follows right under them, its panels under it.
    expect(
      rows(drift)
        .slice(0, 4)
        .map((r) => r.gridPos?.y),
    ).toEqual([0, 1, 2, 3]);
    expect(panel(drift, 'Drift share').gridPos?.y).toBe(4);
    // Opened, a row's panels sit right under it.
    expect(rows(drift)[1]?.panels.map((p) => p.gridPos?.y)).toEqual([2, 2]);
    expect(exprs(panel(drift, 'Predictions by class'))[0]).toContain('model=~"fraud"');
    expect(exprs(panel(drift, 'Prediction value heatmap'))[0]).toContain('model=~"price"');
    const fleet = byUid(dashboards, DASHBOARD_UIDS.versionsFleet);
    expect(rows(fleet).map((r) => [r.title, r.collapsed])).toEqual([
      ['Versions', false],
      ['Outputs by version (classifiers: fraud)', true],
      ['Outputs by version (regression models: price)', true],
      ['Replicas', false],
    ]);
    expect(exprs(panel(fleet, 'Mean confidence by version'))[0]).toContain('model=~"fraud"');
    expect(exprs(panel(fleet, 'Mean prediction value by version'))[0]).toContain('model=~"price"');
  });
});

describe('provisioning', () => {
  test('the performance dashboards are written where the provider loads every dashboard, and removed when the spec loses their task kind', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-performance-dashboards-'));
    const labelled = generateAll(loadQualitySpec(), { profile: 'production' });
    expect(labelled.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        `${GENERATED_DASHBOARDS_DIR}/${CLASSIFICATION}.json`,
        `${GENERATED_DASHBOARDS_DIR}/${REGRESSION}.json`,
      ]),
    );
    // Compose mounts dashboards/generated at the provider's path; the provider reads the whole folder.
    const provider = (dashboardsProvisioning() as { providers: { options: { path: string } }[] }).providers[0];
    expect(provider?.options.path).toBe(GRAFANA_DASHBOARDS_PATH);
    writeGenerated(dir, labelled);
    const demo = generateAll(
      classifierOnly((s) => delete fraudModel(s)['quality']),
      { profile: 'production' },
    );
    expect(checkGenerated(dir, demo).filter((line) => line.includes('performance'))).toEqual([
      `${GENERATED_DASHBOARDS_DIR}/${CLASSIFICATION}.json (no longer generated)`,
      `${GENERATED_DASHBOARDS_DIR}/${REGRESSION}.json (no longer generated)`,
    ]);
    writeGenerated(dir, demo);
    expect(existsSync(path.join(dir, GENERATED_DASHBOARDS_DIR, `${REGRESSION}.json`))).toBe(false);
    rmSync(dir, { recursive: true });
  });
});

describe('every metric a performance or business panel queries is one the conventions name', () => {
  test("an mlwatch metric (a histogram's series included) or a quality, outcome or canary recording rule of a spec window", () => {
    const spec = loadQualitySpec((s) => arrayAt(s, 'models').push(structuredClone(CHURN_MODEL))).spec;
    // The quality windows, and the demo's outcome windows (a moving average names two of them) and canary window.
    const windows = ['30m', '1h', '1d', '7d'];
    const metrics = Object.values(METRICS).flatMap((m) => [m, `${m}_bucket`, `${m}_sum`, `${m}_count`]);
    const records = Object.values(RECORDS).flatMap((r) =>
      typeof r === 'function' ? windows.flatMap((w) => windows.map((over) => r(w as never, over as never))) : [r],
    );
    const known = new Set([...metrics, ...records]);
    const dashboards = allDashboards(spec).filter((d) =>
      [CLASSIFICATION, REGRESSION, BUSINESS].includes(d.uid as never),
    );
    expect(dashboards).toHaveLength(3);
    const unknown = dashboards.flatMap((d) =>
      panelsOf(d)
        .flatMap((p) => exprs(p).flatMap(metricNamesIn))
        .filter((name) => !known.has(name)),
    );
    expect(unknown).toEqual([]);
  });
});
