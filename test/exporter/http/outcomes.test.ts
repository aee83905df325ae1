import request from 'supertest';
import { LABELLED_ID_SECTION } from '../../../exporter/src/joins/labelled-id-section';
import { outcomeIdSectionName } from '../../../exporter/src/joins/outcome-id-section';
import { defined } from '../../support/defined';
import { demoFeatures } from '../../support/demo-spec';
import { arrayAt, objectAt } from '../../support/document';
import { fraudEvent, ingestPredictions, priceEvent, sampleOf } from '../../support/labels-spec';
import { metricsText, postOutcomes, withOutcomes } from '../../support/outcomes-spec';
import type { IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';

function outcomes(text: string, version: string, event: string): number {
  const series = `mlwatch_outcomes_total{model="fraud",version="${version}",event="${event}"}`;
  return defined(sampleOf(text, series), series);
}

function value(text: string, version: string, event: string): number {
  const series = `mlwatch_outcome_value_total{model="fraud",version="${version}",event="${event}"}`;
  return defined(sampleOf(text, series), series);
}

describe('POST /v1/events/outcomes: the outcome counters', () => {
  test('every declared (version, event) starts at zero, a value series only for events with a value, and HELP names the currency', async () => {
    const text = await metricsText(buildTestExporter({ edit: withOutcomes() }));
    const lines = text.split('\n').filter((line) => line.startsWith('mlwatch_outcome'));
    expect(lines.filter((line) => line.startsWith('mlwatch_outcomes_total{'))).toEqual([
      'mlwatch_outcomes_total{model="fraud",version="v1",event="checkout"} 0',
      'mlwatch_outcomes_total{model="fraud",version="v1",event="chargeback"} 0',
      'mlwatch_outcomes_total{model="fraud",version="v1",event="click"} 0',
      'mlwatch_outcomes_total{model="fraud",version="v2",event="checkout"} 0',
      'mlwatch_outcomes_total{model="fraud",version="v2",event="chargeback"} 0',
      'mlwatch_outcomes_total{model="fraud",version="v2",event="click"} 0',
    ]);
    expect(lines.filter((line) => line.startsWith('mlwatch_outcome_value_total{'))).toEqual([
      'mlwatch_outcome_value_total{model="fraud",version="v1",event="checkout"} 0',
      'mlwatch_outcome_value_total{model="fraud",version="v1",event="chargeback"} 0',
      'mlwatch_outcome_value_total{model="fraud",version="v2",event="checkout"} 0',
      'mlwatch_outcome_value_total{model="fraud",version="v2",event="chargeback"} 0',
    ]);
    expect(text).toContain(
      "# HELP mlwatch_outcome_value_total Sum of the values of the outcomes of events declared with one, in the event's declared currency (EUR).",
    );
    for (const result of ['joined', 'stateless', 'duplicate', 'unmatched', 'store_unavailable'])
      expect(sampleOf(text, `mlwatch_outcome_events_total{result="${result}"}`)).toBe(0);
  });

  test('a spec without outcomes exports no outcome metrics', async () => {
    const built = buildTestExporter({
      edit: withOutcomes((s) => {
        for (const model of arrayAt(s, 'models')) delete objectAt(model)['outcomes'];
      }),
    });
    expect(await metricsText(built)).not.toContain('mlwatch_outcome');
  });

  test('outcomes join their predictions: hand-computed counts and value sums per version and event equal /metrics', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    await ingestPredictions(built, [
      fraudEvent('p1'),
      fraudEvent('p2'),
      fraudEvent('p3', { version: 'v2' }),
      fraudEvent('p4', { version: 'v2', prediction: 'legit' }),
    ]);
    const body = await postOutcomes(built, [
      { prediction_id: 'p1', event: 'checkout', value: 19.5 },
      { prediction_id: 'p2', event: 'checkout', value: 80.25 },
      { prediction_id: 'p3', event: 'checkout', value: 7, timestamp: Date.now() / 1000 },
      { prediction_id: 'p1', event: 'click' },
      { prediction_id: 'p4', event: 'chargeback', value: -12.5, model: 'fraud' },
    ]);
    expect(body).toEqual({ accepted: 5, duplicates: 0, unmatched: 0, rejected: [] });
    const text = await metricsText(built);
    expect(outcomes(text, 'v1', 'checkout')).toBe(2);
    expect(value(text, 'v1', 'checkout')).toBe(99.75);
    expect(outcomes(text, 'v2', 'checkout')).toBe(1);
    expect(value(text, 'v2', 'checkout')).toBe(7);
    expect(outcomes(text, 'v1', 'click')).toBe(1);
    expect(outcomes(text, 'v2', 'chargeback')).toBe(1);
    expect(value(text, 'v2', 'chargeback')).toBe(-12.5);
    expect(outcomes(text, 'v1', 'chargeback')).toBe(0);
    expect(sampleOf(text, 'mlwatch_outcome_events_total{result="joined"}')).toBe(5);
  });

  test('a served prediction gets outcomes by the id the predict route answered', async () => {
    const built = buildTestExporter({ edit: withOutcomes(), random: () => 0 });
    const res = await request(built.app)
      .post('/v1/models/fraud/predict')
      .send({ features: demoFeatures() })
      .expect(200);
    const id = (res.body as { prediction_id: string }).prediction_id;
    expect(await postOutcomes(built, [{ prediction_id: id, event: 'checkout', value: 42 }])).toMatchObject({
      accepted: 1,
    });
    expect(value(await metricsText(built), 'v1', 'checkout')).toBe(42);
  });

  test('an outcome naming its model and version needs no join: counted as stateless', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    const body = await postOutcomes(built, [
      { prediction_id: 's1', model: 'fraud', version: 'v2', event: 'checkout', value: 10 },
      { prediction_id: 's2', model: 'fraud', version: 'v2', event: 'click' },
    ]);
    expect(body).toEqual({ accepted: 2, duplicates: 0, unmatched: 0, rejected: [] });
    const text = await metricsText(built);
    expect(outcomes(text, 'v2', 'checkout')).toBe(1);
    expect(value(text, 'v2', 'checkout')).toBe(10);
    expect(outcomes(text, 'v2', 'click')).toBe(1);
    expect(sampleOf(text, 'mlwatch_outcome_events_total{result="stateless"}')).toBe(2);
  });
});

describe('POST /v1/events/outcomes: one outcome per (prediction, event)', () => {
  test('regression: one outcome per (prediction, event) counts once (issue 15) — in one batch, in a later one, joined or stateless, whichever comes first', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    await ingestPredictions(built, [fraudEvent('p1'), fraudEvent('p2')]);
    const own = { model: 'fraud', version: 'v1' };
    expect(
      await postOutcomes(built, [
        { prediction_id: 'p1', event: 'checkout', value: 10 },
        { prediction_id: 'p1', event: 'checkout', value: 99 },
      ]),
    ).toEqual({ accepted: 1, duplicates: 1, unmatched: 0, rejected: [] });
    expect(await postOutcomes(built, [{ prediction_id: 'p1', event: 'checkout', value: 10 }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(await postOutcomes(built, [{ prediction_id: 'p1', event: 'checkout', value: 10, ...own }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(await postOutcomes(built, [{ prediction_id: 'p2', event: 'checkout', value: 5, ...own }])).toMatchObject({
      accepted: 1,
    });
    expect(await postOutcomes(built, [{ prediction_id: 'p2', event: 'checkout', value: 5 }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    const text = await metricsText(built);
    expect(outcomes(text, 'v1', 'checkout')).toBe(2);
    expect(value(text, 'v1', 'checkout')).toBe(15);
    expect(sampleOf(text, 'mlwatch_outcome_events_total{result="duplicate"}')).toBe(4);
  });

  test('each event of a prediction counts on its own, and its label is not an outcome', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    await ingestPredictions(built, [fraudEvent('p1')]);
    await request(built.app)
      .post('/v1/events/labels')
      .send({ events: [{ prediction_id: 'p1', label: 'fraud' }] })
      .expect(200);
    expect(
      await postOutcomes(built, [
        { prediction_id: 'p1', event: 'checkout', value: 30 },
        { prediction_id: 'p1', event: 'chargeback', value: 30 },
        { prediction_id: 'p1', event: 'click' },
      ]),
    ).toEqual({ accepted: 3, duplicates: 0, unmatched: 0, rejected: [] });
    // The outcomes did not spend the label either.
    const label = await request(built.app)
      .post('/v1/events/labels')
      .send({ events: [{ prediction_id: 'p1', label: 'legit' }] })
      .expect(200);
    expect(label.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

describe('POST /v1/events/outcomes: unmatched outcomes', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('regression: an outcome for an unknown prediction is counted as unmatched (issue 15), not an error', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    expect(await postOutcomes(built, [{ prediction_id: 'never-seen', event: 'checkout', value: 3 }])).toEqual({
      accepted: 0,
      duplicates: 0,
      unmatched: 1,
      rejected: [],
    });
    expect(built.deps.metrics.outcomes.resultCount('unmatched')).toBe(1);
    expect(value(await metricsText(built), 'v1', 'checkout')).toBe(0);
  });

  test('an outcome after joins.ttl_seconds is unmatched', async () => {
    const built = buildTestExporter({ edit: withOutcomes((s) => void (s['joins'] = { ttl_seconds: 60 })) });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await ingestPredictions(built, [fraudEvent('old')]);
    clock.mockReturnValue(start + 61_000);
    expect(await postOutcomes(built, [{ prediction_id: 'old', event: 'click' }])).toMatchObject({ unmatched: 1 });
  });

  test('outcomes of a failed prediction, or of a model without outcomes, are unmatched', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({
        events: [
          fraudEvent('e1', { status: 'error', prediction: undefined, confidence: undefined }),
          priceEvent('r1', 3),
        ],
      })
      .expect(200);
    expect((res.body as IngestBody).accepted).toBe(2);
    expect(
      await postOutcomes(built, [
        { prediction_id: 'e1', event: 'click' },
        { prediction_id: 'r1', event: 'click' },
      ]),
    ).toEqual({ accepted: 0, duplicates: 0, unmatched: 2, rejected: [] });
  });
});

describe('POST /v1/events/outcomes: across a restart', () => {
  test('the (prediction, event) pairs counted already are snapshotted per event: a retried outcome is still a duplicate', async () => {
    const before = buildTestExporter({ edit: withOutcomes() });
    await ingestPredictions(before, [fraudEvent('p1'), fraudEvent('p2')]);
    await postOutcomes(before, [
      { prediction_id: 'p1', event: 'checkout', value: 10 },
      { prediction_id: 's1', model: 'fraud', version: 'v1', event: 'click' },
    ]);
    const snapshot = JSON.parse(JSON.stringify(before.state.capture(Date.now(), 'disk'))) as Record<string, unknown>;
    const sections = objectAt(snapshot, 'sections');
    // Ids are written packed (layout 2): the counts say which section holds them, the restore below which ids.
    const countOf = (name: string) => objectAt(sections, name)['count'];
    expect(countOf(outcomeIdSectionName('checkout'))).toBe(1);
    expect(countOf(outcomeIdSectionName('click'))).toBe(1);
    // An event nothing claimed is an empty section; the labels have their own.
    expect(countOf(outcomeIdSectionName('chargeback'))).toBe(0);
    expect(countOf(LABELLED_ID_SECTION)).toBe(0);

    const after = buildTestExporter({ edit: withOutcomes() });
    expect(after.state.restore(snapshot, Date.now())).toEqual([]);
    expect(
      await postOutcomes(after, [
        { prediction_id: 'p1', event: 'checkout', value: 10 },
        { prediction_id: 's1', model: 'fraud', version: 'v1', event: 'click' },
        { prediction_id: 'p1', event: 'click' },
        { prediction_id: 'p2', event: 'checkout', value: 1 },
      ]),
    ).toEqual({ accepted: 2, duplicates: 2, unmatched: 0, rejected: [] });
  });
});
