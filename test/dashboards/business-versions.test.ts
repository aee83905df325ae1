import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probit } from 'simple-statistics';
import { criticalZ } from '../../alerting/src/canary-critical-z';
import { parseQuery } from '../../alerting/src/lint/promql';
import { checkGenerated, writeGenerated } from '../../alerting/src/write-generated';
import { generateAll } from '../../cli/src/generate-all';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { allDashboards } from '../../dashboards/src/dashboards';
import { GENERATED_DASHBOARDS_DIR } from '../../dashboards/src/generate-dashboards';
import { lintDashboards } from '../../dashboards/src/lint/lint-dashboard';
import type { DashboardJson } from '../../dashboards/src/lint/dashboard-json';
import { panelQueries, panelsOf } from '../../dashboards/src/panel-queries';
import type { Spec } from '../../spec/src/schema';
import { DEMO_VARIABLE_VALUES } from '../support/dashboard-variables';
import { loadEditedDemoSpec } from '../support/demo-spec';
import { defined } from '../support/defined';
import { arrayAt, objectAt, type Doc } from '../support/document';
import { fraudModel } from '../support/quality-spec';

const BUSINESS = DASHBOARD_UIDS.businessVersions;

const business = (spec: Spec): Dashboard | undefined => allDashboards(spec).find((d) => d.uid === BUSINESS);
const businessOf = (edit: (spec: Doc) => void = () => undefined): Dashboard =>
  defined(business(loadEditedDemoSpec(edit).spec), 'the business dashboard');
const panel = (dashboard: Dashboard, title: string): Panel =>
  defined(
    panelsOf(dashboard).find((p) => p.title === title),
    `panel "${title}"`,
  );
const exprs = (p: Panel): string[] => (p.targets ?? []).map((t) => (t as unknown as { expr: string }).expr);
const legends = (p: Panel): string[] =>
  (p.targets ?? []).map((t) => (t as unknown as { legendFormat: string }).legendFormat);
const stepsOf = (p: Panel) => p.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);
const rowTitles = (d: Dashboard) => (d.panels ?? []).filter((p) => p.type === 'row').map((p) => (p as RowPanel).title);
const titles = (d: Dashboard) => panelsOf(d).map((p) => p.title);

/** The demo's fraud model without its outcomes and canary. */
const withoutBusiness = (s: Doc) => {
  delete fraudModel(s)['outcomes'];
  delete fraudModel(s)['canary'];
};

/** A second model with a canary and outcomes of its own: other windows, level and minimum volume. */
const CHURN_MODEL = {
  name: 'churn.v2',
  task: 'binary_classification',
  classes: ['stay', 'leave'],
  versions: [
    { name: 'a', weight: 0.5 },
    { name: 'b', weight: 0.5 },
  ],
  features: [{ name: 'tenure', type: 'numeric' }],
  outcomes: { events: { click: {} }, windows_seconds: [1800], conversion_drop_share: 0.1 },
  canary: { baseline: 'a', candidate: 'b', level: 0.05, min_volume: 100, window_seconds: 1800 },
};

const demo = businessOf();
const at = (name: string) => `${name}{model=~"$model", event=~"$event"}`;

describe('the business dashboard exists only when a model declares outcomes or a canary', () => {
  test('the demo (fraud has outcomes and a canary) gets it, after the other dashboards', () => {
    expect(allDashboards(loadEditedDemoSpec().spec).map((d) => d.uid)).toEqual([
      DASHBOARD_UIDS.serviceOverview,
      DASHBOARD_UIDS.modelDrift,
      DASHBOARD_UIDS.versionsFleet,
      DASHBOARD_UIDS.classificationPerformance,
      DASHBOARD_UIDS.regressionPerformance,
      BUSINESS,
    ]);
  });

  test('without outcomes and canary there is none, and generate removes its file', () => {
    const without = loadEditedDemoSpec(withoutBusiness);
    expect(business(without.spec)).toBeUndefined();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-business-dashboard-'));
    writeGenerated(dir, generateAll(loadEditedDemoSpec(), { profile: 'production' }));
    const file = `${GENERATED_DASHBOARDS_DIR}/${BUSINESS}.json`;
    expect(existsSync(path.join(dir, file))).toBe(true);
    const next = generateAll(without, { profile: 'production' });
    expect(checkGenerated(dir, next).filter((line) => line.startsWith(GENERATED_DASHBOARDS_DIR))).toEqual([
      `${file} (no longer generated)`,
    ]);
    writeGenerated(dir, next);
    expect(existsSync(path.join(dir, file))).toBe(false);
    rmSync(dir, { recursive: true });
  });

  test('a canary alone gets the canary row only, without the conversion panel', () => {
    const dashboard = businessOf((s) => delete fraudModel(s)['outcomes']);
    expect(rowTitles(dashboard)).toEqual(['Canary against stable (canary window: 1h)']);
    expect(titles(dashboard)).toEqual([
      'Canary z statistic by signal',
      'Canary volume by side',
      'Latency p99: canary ÷ baseline',
      'Error ratio: baseline and canary',
      'Accuracy: baseline and canary',
    ]);
  });

  test('outcomes alone get the outcome rows only; one window and no value event, no moving averages and no value panels', () => {
    const dashboard = businessOf((s) => {
      delete fraudModel(s)['canary'];
      objectAt(fraudModel(s), 'outcomes')['windows_seconds'] = [3600];
      objectAt(fraudModel(s), 'outcomes', 'events')['checkout'] = { value: false };
      objectAt(fraudModel(s), 'outcomes', 'events')['chargeback'] = { value: false };
      delete objectAt(fraudModel(s), 'outcomes')['value_event'];
      delete objectAt(fraudModel(s), 'outcomes')['value_drop_share'];
    });
    expect(rowTitles(dashboard)).toEqual([
      'Outcomes per prediction by version (first outcome window: 1h)',
      'This week against last week',
    ]);
    expect(titles(dashboard)).toEqual([
      'Outcome rate by version',
      'Outcome rate: this week and last week',
      'Outcome rate: week over week',
    ]);
  });
});

describe('the demo: rates, value, moving averages and last week of the first outcome window; the canary beside its baseline', () => {
  test('rows in order: outcomes, moving averages, last week, the canary', () => {
    expect(rowTitles(demo)).toEqual([
      'Outcomes per prediction by version (first outcome window: 1h)',
      'Moving averages',
      'This week against last week',
      'Canary against stable (canary window: 1h)',
    ]);
  });

  test('rate and value per prediction by version read the first window of each event', () => {
    expect(exprs(panel(demo, 'Outcome rate by version'))).toEqual([at(RECORDS.outcomeRate('1h'))]);
    expect(exprs(panel(demo, 'Value per prediction by version'))).toEqual([
      at(RECORDS.outcomeValuePerPrediction('1h')),
    ]);
    expect(legends(panel(demo, 'Outcome rate by version'))).toEqual(['{{version}} {{event}}']);
  });

  test('the moving averages over each later window are drawn with the first window', () => {
    expect(exprs(panel(demo, 'Outcome rate: moving averages'))).toEqual([
      at(RECORDS.outcomeRate('1h')),
      at(RECORDS.outcomeRateAverage('1h', '1d')),
      at(RECORDS.outcomeRateAverage('1h', '7d')),
    ]);
    expect(exprs(panel(demo, 'Value per prediction: moving averages'))).toEqual([
      at(RECORDS.outcomeValuePerPrediction('1h')),
      at(RECORDS.outcomeValueAverage('1h', '1d')),
      at(RECORDS.outcomeValueAverage('1h', '7d')),
    ]);
    expect(legends(panel(demo, 'Outcome rate: moving averages'))).toEqual([
      '{{version}} {{event}} 1h',
      '{{version}} {{event}} 1d average',
      '{{version}} {{event}} 7d average',
    ]);
  });

  test('this week beside the same rule one week earlier, and the week-over-week ratio against 1 − the drop share', () => {
    expect(exprs(panel(demo, 'Outcome rate: this week and last week'))).toEqual([
      at(RECORDS.outcomeRate('1h')),
      `${at(RECORDS.outcomeRate('1h'))} offset 1w`,
    ]);
    expect(exprs(panel(demo, 'Value per prediction: this week and last week'))).toEqual([
      at(RECORDS.outcomeValuePerPrediction('1h')),
      `${at(RECORDS.outcomeValuePerPrediction('1h'))} offset 1w`,
    ]);
    expect(exprs(panel(demo, 'Outcome rate: week over week'))).toEqual([at(RECORDS.outcomeRateWeekOverWeek('1h'))]);
    expect(exprs(panel(demo, 'Value per prediction: week over week'))).toEqual([
      at(RECORDS.outcomeValueWeekOverWeek('1h')),
    ]);
    // The demo's drop shares are 0.2: red below 80% of last week.
    expect(stepsOf(panel(demo, 'Outcome rate: week over week'))).toEqual([null, 0.8]);
    expect(stepsOf(panel(demo, 'Value per prediction: week over week'))).toEqual([null, 0.8]);
    expect(panel(demo, 'Outcome rate: week over week').description).toContain('(fraud checkout)');
    const edited = businessOf((s) => (objectAt(fraudModel(s), 'outcomes')['conversion_drop_share'] = 0.25));
    expect(stepsOf(panel(edited, 'Outcome rate: week over week'))).toEqual([null, 0.75]);
  });

  test('the canary z per signal, its volumes and the latency ratio read the canary records of the canary window', () => {
    const model = 'model=~"$model"';
    expect(exprs(panel(demo, 'Canary z statistic by signal'))).toEqual([`${RECORDS.canaryZ('1h')}{${model}}`]);
    expect(exprs(panel(demo, 'Canary volume by side'))).toEqual([`${RECORDS.canaryVolume('1h')}{${model}}`]);
    expect(exprs(panel(demo, 'Latency p99: canary ÷ baseline'))).toEqual([
      `${RECORDS.canaryLatencyP99Ratio}{${model}}`,
    ]);
    expect(legends(panel(demo, 'Canary z statistic by signal'))).toEqual([
      '{{signal}}: {{version}} against {{baseline}}',
    ]);
  });

  test('error ratio, conversion rate and accuracy of the baseline (v1) and the canary (v2) side by side', () => {
    const side = (version: string) => `model=~"fraud", version="${version}", model=~"$model"`;
    const targets = 'job=~"$job", instance=~"$instance"';
    const errors = (version: string) =>
      `sum by (model, version) (increase(${METRICS.predictionsTotal}{${side(version)}, ${targets}, status="error"}[1h])) / sum by (model, version) (increase(${METRICS.predictionsTotal}{${side(version)}, ${targets}}[1h]))`;
    expect(exprs(panel(demo, 'Error ratio: baseline and canary'))).toEqual([errors('v1'), errors('v2')]);
    expect(exprs(panel(demo, 'Conversion rate: baseline and canary'))).toEqual([
      `${RECORDS.outcomeRate('1h')}{${side('v1')}, event="checkout"}`,
      `${RECORDS.outcomeRate('1h')}{${side('v2')}, event="checkout"}`,
    ]);
    expect(exprs(panel(demo, 'Accuracy: baseline and canary'))).toEqual([
      `${RECORDS.accuracy('1h')}{${side('v1')}}`,
      `${RECORDS.accuracy('1h')}{${side('v2')}}`,
    ]);
    expect(legends(panel(demo, 'Accuracy: baseline and canary'))).toEqual([
      '{{version}} baseline',
      '{{version}} canary',
    ]);
  });

  test('the model variable lists the models with outcomes or a canary, the event variable their declared events', () => {
    const definition = (name: string) =>
      (demo.templating.list?.find((v) => v.name === name) as { definition?: string } | undefined)?.definition;
    expect(definition('model')).toBe(
      `label_values(${METRICS.modelInfo}{job=~"$job", instance=~"$instance", model=~"fraud"}, model)`,
    );
    expect(definition('event')).toBe(
      `label_values(${METRICS.outcomesTotal}{job=~"$job", instance=~"$instance", model=~"$model"}, event)`,
    );
  });

  test('panel ids run 1, 2, 3… over rows and panels; refIds are A, B, C… in each panel', () => {
    expect((demo.panels ?? []).map((p) => p.id)).toEqual((demo.panels ?? []).map((_, i) => i + 1));
    for (const p of panelsOf(demo))
      expect((p.targets ?? []).map((t) => (t as { refId?: string }).refId)).toEqual(
        ['A', 'B', 'C'].slice(0, (p.targets ?? []).length),
      );
  });

  test('every query parses once the variables are substituted (lezer-promql), and the lint finds nothing', () => {
    const queries = panelQueries([demo], DEMO_VARIABLE_VALUES);
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.filter((q) => parseQuery(q.expr).error !== undefined).map((q) => q.expr)).toEqual([]);
    expect(lintDashboards([JSON.parse(JSON.stringify(demo)) as DashboardJson])).toEqual([]);
  });

  test('the queries reading last week are marked, so a stack younger than a week can leave them out', () => {
    const lastWeek = panelQueries([demo], DEMO_VARIABLE_VALUES).filter((q) => q.needsLastWeek);
    expect(lastWeek.map((q) => `${q.panel} ${q.refId}`)).toEqual([
      'Outcome rate: this week and last week B',
      'Outcome rate: week over week A',
      'Value per prediction: this week and last week B',
      'Value per prediction: week over week A',
    ]);
  });
});

describe('thresholds and units come from the spec', () => {
  test('the critical value drawn on the z panel is probit(1 − canary.level), computed at generation', () => {
    const z = panel(demo, 'Canary z statistic by signal');
    expect(stepsOf(z)).toEqual([null, 2.3263478740408408]);
    expect(stepsOf(z)).toEqual([null, criticalZ(0.01)]);
    expect(z.description).toContain('critical value 2.3263 of canary.level 0.01');
    // simple-statistics' probit agrees to its approximation's precision (Winitzki's erf inverse, ~5e-3).
    expect(Math.abs(criticalZ(0.01) - probit(1 - 0.01))).toBeLessThan(6e-3);
    const edited = businessOf((s) => (objectAt(fraudModel(s), 'canary')['level'] = 0.05));
    expect(stepsOf(panel(edited, 'Canary z statistic by signal'))).toEqual([null, criticalZ(0.05)]);
    expect(criticalZ(0.05)).toBeCloseTo(1.64485362695147, 14);
  });

  test('the volumes are drawn against canary.min_volume', () => {
    expect(stepsOf(panel(demo, 'Canary volume by side'))).toEqual([null, 300]);
    const edited = businessOf((s) => (objectAt(fraudModel(s), 'canary')['min_volume'] = 1000));
    expect(stepsOf(panel(edited, 'Canary volume by side'))).toEqual([null, 1000]);
  });

  test("rates in percent, value in the event's declared currency: Grafana's unit when it has one, else a number naming it", () => {
    expect(panel(demo, 'Outcome rate by version').fieldConfig?.defaults.unit).toBe('percentunit');
    expect(panel(demo, 'Value per prediction by version').fieldConfig?.defaults.unit).toBe('currencyEUR');
    const currency = (code: string) => (s: Doc) => {
      objectAt(fraudModel(s), 'outcomes', 'events', 'checkout')['currency'] = code;
      objectAt(fraudModel(s), 'outcomes', 'events', 'chargeback')['currency'] = code;
    };
    expect(panel(businessOf(currency('USD')), 'Value per prediction by version').fieldConfig?.defaults.unit).toBe(
      'currencyUSD',
    );
    const aud = panel(businessOf(currency('AUD')), 'Value per prediction by version');
    expect(aud.fieldConfig?.defaults.unit).toBe('short');
    expect(aud.description).toContain('fraud/checkout AUD, fraud/chargeback AUD');
    const mixed = panel(
      businessOf((s) => (objectAt(fraudModel(s), 'outcomes', 'events', 'chargeback')['currency'] = 'USD')),
      'Value per prediction by version',
    );
    expect(mixed.fieldConfig?.defaults.unit).toBe('short');
    expect(mixed.description).toContain('fraud/checkout EUR, fraud/chargeback USD');
  });

  test('two canary models with their own windows and levels: each read at its window, the differing levels named, not drawn', () => {
    const two = businessOf((s) => arrayAt(s, 'models').push(structuredClone(CHURN_MODEL)));
    expect(exprs(panel(two, 'Canary z statistic by signal'))).toEqual([
      `${RECORDS.canaryZ('1h')}{model=~"fraud", model=~"$model"} or ${RECORDS.canaryZ('30m')}{model=~"churn\\\\.v2", model=~"$model"}`,
    ]);
    expect(stepsOf(panel(two, 'Canary z statistic by signal'))).toEqual([null]);
    expect(panel(two, 'Canary z statistic by signal').description).toContain('(fraud 0.01, churn.v2 0.05)');
    expect(exprs(panel(two, 'Outcome rate by version'))).toEqual([
      `${RECORDS.outcomeRate('1h')}{model=~"fraud", model=~"$model", event=~"$event"} or ${RECORDS.outcomeRate('30m')}{model=~"churn\\\\.v2", model=~"$model", event=~"$event"}`,
    ]);
    expect(exprs(panel(two, 'Conversion rate: baseline and canary'))[1]).toBe(
      `${RECORDS.outcomeRate('1h')}{model=~"fraud", version="v2", model=~"$model", event="checkout"} or ${RECORDS.outcomeRate('30m')}{model=~"churn\\\\.v2", version="b", model=~"$model", event="click"}`,
    );
    // Differing drop shares: named, not drawn.
    expect(stepsOf(panel(two, 'Outcome rate: week over week'))).toEqual([null]);
    expect(panel(two, 'Outcome rate: week over week').description).toContain(
      'conversion_drop_share fraud 0.2, churn.v2 0.1',
    );
    // churn.v2 has no value event, so no value alert: fraud's value_drop_share alone is drawn.
    expect(stepsOf(panel(two, 'Value per prediction: week over week'))).toEqual([null, 0.8]);
    // churn.v2 is no labelled classifier: accuracy only of fraud.
    expect(exprs(panel(two, 'Accuracy: baseline and canary'))).toEqual([
      `${RECORDS.accuracy('1h')}{model=~"fraud", version="v1", model=~"$model"}`,
      `${RECORDS.accuracy('1h')}{model=~"fraud", version="v2", model=~"$model"}`,
    ]);
    expect(lintDashboards([JSON.parse(JSON.stringify(two)) as DashboardJson])).toEqual([]);
  });
});
