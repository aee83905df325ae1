import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type { RedisJoinStore } from '../../../exporter/src/joins/redis-join-store';
import { defined } from '../../support/defined';
import { modelNamed } from '../../support/demo-spec';
import { fraudEvent, ingestPredictions, sampleOf } from '../../support/labels-spec';
import { metricsText, postOutcomes, withOutcomes } from '../../support/outcomes-spec';
import { describeWithRedis, RedisServer } from '../../support/redis-server';
import { buildTestExporter } from '../../support/test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

describeWithRedis('POST /v1/events/outcomes: replicas sharing one Redis', () => {
  let server: RedisServer;
  const replicas: Built[] = [];

  /** An exporter replica on the test's Redis, connected; `labelled` false drops fraud's quality section (outcomes only). */
  async function replica(labelled = true): Promise<Built> {
    const built = buildTestExporter({
      edit: withOutcomes((s) => {
        s['joins'] = { store: 'redis', redis: { url: server.url, key_prefix: 'outcomes-test:' } };
        if (!labelled) delete modelNamed(s, 'fraud')['quality'];
      }),
    });
    replicas.push(built);
    await (built.deps.joins as RedisJoinStore).waitUntilReady(5000);
    return built;
  }

  /** Waits until a replica's queued prediction writes have reached Redis (its next claim goes after them). */
  async function settled(built: Built): Promise<void> {
    await sleep(0);
    await defined(built.deps.joins, 'the join store').claim(['settle-probe'], Date.now());
  }

  function checkouts(text: string, version = 'v1'): number {
    const series = `mlwatch_outcomes_total{model="fraud",version="${version}",event="checkout"}`;
    return defined(sampleOf(text, series), series);
  }

  beforeAll(async () => {
    server = await RedisServer.start();
  }, 20_000);

  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((built) => defined(built.deps.joins, 'the join store').close()));
  });

  afterAll(async () => {
    await server.stop();
  });

  test('regression: one outcome per (prediction, event) counts once on both paths (issue 15) — posted to the other replica, retried at either, joined or stateless', async () => {
    const a = await replica();
    const b = await replica();
    await ingestPredictions(a, [fraudEvent('r-p1'), fraudEvent('r-p2', { version: 'v2' })]);
    await settled(a);

    expect(await postOutcomes(b, [{ prediction_id: 'r-p1', event: 'checkout', value: 12 }])).toEqual({
      accepted: 1,
      duplicates: 0,
      unmatched: 0,
      rejected: [],
    });
    expect(await postOutcomes(a, [{ prediction_id: 'r-p1', event: 'checkout', value: 12 }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(
      await postOutcomes(a, [{ prediction_id: 'r-p1', event: 'checkout', value: 12, model: 'fraud', version: 'v1' }]),
    ).toMatchObject({ accepted: 0, duplicates: 1 });
    // Stateless first at one replica, joined later at the other.
    expect(
      await postOutcomes(a, [{ prediction_id: 'r-p2', event: 'checkout', value: 4, model: 'fraud', version: 'v2' }]),
    ).toMatchObject({ accepted: 1 });
    expect(await postOutcomes(b, [{ prediction_id: 'r-p2', event: 'checkout', value: 4 }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    // Across the two replicas' counters (as Prometheus sums them): each counted once.
    const [textA, textB] = [await metricsText(a), await metricsText(b)];
    expect(checkouts(textA) + checkouts(textB)).toBe(1);
    expect(checkouts(textA, 'v2') + checkouts(textB, 'v2')).toBe(1);
    expect(sampleOf(textB, 'mlwatch_outcome_value_total{model="fraud",version="v1",event="checkout"}')).toBe(12);
    // Unknown at every replica: unmatched.
    expect(await postOutcomes(b, [{ prediction_id: 'r-none', event: 'click' }])).toMatchObject({ unmatched: 1 });
  });

  test('regression: a model that takes outcomes but no labels has its predictions remembered in Redis (they were never written), and a labelled one keeps them for outcomes after its label', async () => {
    const a = await replica(false);
    const b = await replica(false);
    await ingestPredictions(a, [fraudEvent('o-p1')]);
    await settled(a);
    expect(await postOutcomes(b, [{ prediction_id: 'o-p1', event: 'click' }])).toMatchObject({ accepted: 1 });

    const c = await replica();
    const d = await replica();
    await ingestPredictions(c, [fraudEvent('o-p2')]);
    await settled(c);
    await request(d.app)
      .post('/v1/events/labels')
      .send({ events: [{ prediction_id: 'o-p2', label: 'fraud' }] })
      .expect(200);
    expect(await postOutcomes(c, [{ prediction_id: 'o-p2', event: 'checkout', value: 8 }])).toMatchObject({
      accepted: 1,
    });
  });
});
