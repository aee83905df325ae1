import request from 'supertest';
import { ID_STORE_EVICTION_REASONS } from '../../../spec/src/conventions';
import { IdStore } from '../../../exporter/src/joins/id-store';
import { LABEL_SCOPE, outcomeScope } from '../../../exporter/src/joins/join-store';
import { MemoryJoinStore } from '../../../exporter/src/joins/memory-join-store';
import { FixedCounter } from '../../../exporter/src/metrics/fixed-counter';
import type { VersionSlot } from '../../../exporter/src/metrics/series-layout';
import { fraudEvent, ingestPredictions, priceEvent, sampleOf, withLabels } from '../../support/labels-spec';
import { buildTestExporter } from '../../support/test-exporter';

const evictions = (): FixedCounter =>
  new FixedCounter(
    'e',
    'e',
    ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
  );
const V1: VersionSlot = { model: 'm', version: 'v1', index: 0, classBase: 0 };

function store(ttlSeconds: number, slots: (VersionSlot | undefined)[] = [V1]) {
  const predictions = new IdStore(10, null, evictions());
  const labelled = new IdStore(10, ttlSeconds, evictions());
  const made: IdStore[] = [];
  const newStore = (): IdStore => {
    const scoped = new IdStore(10, ttlSeconds, evictions());
    made.push(scoped);
    return scoped;
  };
  return {
    predictions,
    labelled,
    made,
    joins: new MemoryJoinStore(predictions, labelled, slots, ttlSeconds, newStore),
  };
}

describe('MemoryJoinStore', () => {
  test('a claim joins the prediction once, with its names, class, confidence and time; then duplicate', async () => {
    const { predictions, joins } = store(60);
    predictions.claim('a', 0, 1, Number.NaN, 1000, 0.75);
    expect(await joins.claim(['a', 'a', 'b'], 2000)).toEqual([
      {
        result: 'joined',
        prediction: { model: 'm', version: 'v1', classIndex: 1, output: Number.NaN, confidence: 0.75, timeMs: 1000 },
      },
      { result: 'duplicate' },
      { result: 'unmatched' },
    ]);
  });

  test('a prediction older than the TTL is unmatched, exactly at the TTL it still joins', async () => {
    const { predictions, joins } = store(60);
    predictions.claim('old', 0, 0, Number.NaN, 0);
    predictions.claim('edge', 0, 0, Number.NaN, 1);
    expect((await joins.claim(['old', 'edge'], 60_001)).map((c) => c.result)).toEqual(['unmatched', 'joined']);
  });

  test('a prediction of a model that takes no labels is unmatched and leaves its id unspent', async () => {
    const { predictions, labelled, joins } = store(60, [undefined]);
    predictions.claim('a', 0, 0, Number.NaN, 0);
    expect(await joins.claim(['a'], 1)).toEqual([{ result: 'unmatched' }]);
    expect(labelled.size).toBe(0);
  });

  test('stateless claims share the labelled ids with joined ones', async () => {
    const { predictions, joins } = store(60);
    predictions.claim('a', 0, 0, Number.NaN, 0);
    expect(await joins.claimStateless(['a', 'b', 'b'], 1)).toEqual([true, true, false]);
    expect(await joins.claim(['a'], 2)).toEqual([{ result: 'duplicate' }]);
  });
});

describe('MemoryJoinStore: claim scopes', () => {
  test('each outcome event claims an id once, apart from the label and the other events; its store is made at its first claim', async () => {
    const { predictions, labelled, made, joins } = store(60);
    predictions.claim('a', 0, 1, Number.NaN, 0, 0.5);
    expect(made).toHaveLength(0);
    expect(joins.scopeStore(outcomeScope('checkout'), false)).toBeUndefined();
    expect((await joins.claim(['a', 'a'], 1, outcomeScope('checkout'))).map((c) => c.result)).toEqual([
      'joined',
      'duplicate',
    ]);
    expect(made).toHaveLength(1);
    expect((await joins.claim(['a'], 1, outcomeScope('click'))).map((c) => c.result)).toEqual(['joined']);
    expect((await joins.claim(['a'], 1, LABEL_SCOPE)).map((c) => c.result)).toEqual(['joined']);
    expect(made).toHaveLength(2);
    expect(labelled.size).toBe(1);
    expect(await joins.claimStateless(['a', 's'], 2, outcomeScope('click'))).toEqual([false, true]);
    expect(await joins.claimStateless(['s'], 2, outcomeScope('checkout'))).toEqual([true]);
  });

  test('an outcome claim of an unknown or expired id is unmatched and leaves the id unclaimed', async () => {
    const { predictions, joins } = store(60);
    expect(await joins.claim(['late'], 0, outcomeScope('checkout'))).toEqual([{ result: 'unmatched' }]);
    predictions.claim('late', 0, 0, Number.NaN, 1);
    expect((await joins.claim(['late'], 2, outcomeScope('checkout')))[0]?.result).toBe('joined');
    predictions.claim('old', 0, 0, Number.NaN, 0);
    expect(await joins.claim(['old'], 60_001, outcomeScope('checkout'))).toEqual([{ result: 'unmatched' }]);
  });
});

describe('labels across a reload', () => {
  test('the label counters and the regression histograms carry over; a labelled id stays labelled', async () => {
    const before = buildTestExporter({ edit: withLabels() });
    await ingestPredictions(before, [fraudEvent('p1'), priceEvent('r1', 10)]);
    await request(before.app)
      .post('/v1/events/labels')
      .send({
        events: [
          { prediction_id: 'p1', label: 'fraud' },
          { prediction_id: 'r1', label: 13 },
        ],
      })
      .expect(200);
    const after = buildTestExporter({ edit: withLabels() });
    expect(after.state.restore(before.state.capture(Date.now(), 'reload'), Date.now())).toEqual([]);
    const res = await request(after.app)
      .post('/v1/events/labels')
      .send({ events: [{ prediction_id: 'p1', label: 'legit' }] })
      .expect(200);
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const text = (await request(after.app).get('/metrics').expect(200)).text;
    expect(sampleOf(text, 'mlwatch_labels_total{model="fraud",version="v1",predicted="fraud",actual="fraud"}')).toBe(1);
    expect(sampleOf(text, 'mlwatch_regression_absolute_error_sum{model="price",version="v1"}')).toBe(3);
    expect(sampleOf(text, 'mlwatch_prediction_value_count{model="price",version="v1"}')).toBe(1);
  });
});
