import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { JoinStoreOperation } from '../../../spec/src/conventions';
import { joinsSchema } from '../../../spec/src/schema';
import {
  JoinStoreUnavailable,
  LABEL_SCOPE,
  outcomeScope,
  type JoinedPrediction,
} from '../../../exporter/src/joins/join-store';
import { RedisJoinStore, redisUrlOf } from '../../../exporter/src/joins/redis-join-store';
import { describeWithRedis, RedisServer } from '../../support/redis-server';
import { eventually } from '../../support/eventually';

/** Counts the store's errors by operation, as `mlwatch_join_store_errors_total` would. */
class ErrorCounts {
  readonly counts: Record<JoinStoreOperation, number> = { remember: 0, claim: 0 };
  inc(operation: JoinStoreOperation): void {
    this.counts[operation]++;
  }
}

function prediction(overrides: Partial<JoinedPrediction> = {}): JoinedPrediction {
  return {
    model: 'fraud',
    version: 'v1',
    classIndex: 1,
    output: Number.NaN,
    confidence: 0.93,
    timeMs: 1_764_768_000_000,
    ...overrides,
  };
}

describe('redisUrlOf', () => {
  test('takes joins.redis.url when it is set, whatever the environment says', () => {
    const joins = joinsSchema.parse({ store: 'redis', redis: { url: 'redis://cache:6379/2' } });
    expect(redisUrlOf(joins, { MLWATCH_REDIS_URL: 'redis://other:6379' })).toBe('redis://cache:6379/2');
  });

  test('reads the environment variable named by joins.redis.url_env otherwise', () => {
    const joins = joinsSchema.parse({ store: 'redis', redis: { url_env: 'FRAUD_REDIS' } });
    expect(redisUrlOf(joins, { FRAUD_REDIS: 'redis://:secret@cache:6379' })).toBe('redis://:secret@cache:6379');
  });

  test('without either, the start-up error names both keys and the variable', () => {
    const joins = joinsSchema.parse({ store: 'redis' });
    expect(() => redisUrlOf(joins, {})).toThrow(
      'joins.store is redis but joins.redis.url is not set and the environment variable MLWATCH_REDIS_URL ' +
        '(joins.redis.url_env) is empty: set one of them to a URL like redis://localhost:6379',
    );
  });

  test('a variable that holds no Redis URL is refused without printing its password', () => {
    const joins = joinsSchema.parse({ store: 'redis' });
    expect(() => redisUrlOf(joins, { MLWATCH_REDIS_URL: 'http://user:hunter2@cache:6379' })).toThrow(
      'environment variable MLWATCH_REDIS_URL (joins.redis.url_env): expected a URL like redis://localhost:6379, got "http://user:***@cache:6379"',
    );
  });
});

describeWithRedis('RedisJoinStore on a real redis-server', () => {
  let server: RedisServer;
  const stores: RedisJoinStore[] = [];
  let admin: Redis;

  /** A replica's store on the test's Redis, connected. */
  async function replica(errors = new ErrorCounts(), ttlSeconds = 600, prefix = 'mlwatch:'): Promise<RedisJoinStore> {
    const joins = joinsSchema.parse({ store: 'redis', ttl_seconds: ttlSeconds, redis: { key_prefix: prefix } });
    const store = new RedisJoinStore(server.url, joins, errors, { commandTimeoutMs: 300 });
    stores.push(store);
    await store.waitUntilReady(5000);
    return store;
  }

  /** Waits until the store's queued writes have reached Redis (a claim of an absent id goes through the same connection, after them). */
  async function settled(store: RedisJoinStore): Promise<void> {
    await sleep(0);
    await store.claim(['settle-probe']);
  }

  beforeAll(async () => {
    server = await RedisServer.start();
    admin = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined);
    await admin.connect();
  }, 20_000);

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await admin.flushall();
  });

  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  test('a prediction remembered by one replica is joined by the other, and every later claim is a duplicate', async () => {
    const a = await replica();
    const b = await replica();
    const p = prediction({ classIndex: 0, confidence: 0.61 });
    a.remember('evt-1', p);
    await settled(a);

    expect(await b.claim(['evt-1'])).toEqual([{ result: 'joined', prediction: p }]);
    expect(await b.claim(['evt-1'])).toEqual([{ result: 'duplicate' }]);
    expect(await a.claim(['evt-1'])).toEqual([{ result: 'duplicate' }]);
  });

  test('one call claims many ids in order: joined, unknown and repeated ids each get their own result', async () => {
    const a = await replica();
    const b = await replica();
    a.remember('x1', prediction({ version: 'v2', output: 3.25, classIndex: -1, confidence: Number.NaN }));
    a.remember('x2', prediction());
    await settled(a);

    const claims = await b.claim(['x1', 'missing', 'x2', 'x1']);
    expect(claims.map((c) => c.result)).toEqual(['joined', 'unmatched', 'joined', 'duplicate']);
    expect(claims[0]).toEqual({
      result: 'joined',
      prediction: prediction({ version: 'v2', output: 3.25, classIndex: -1, confidence: Number.NaN }),
    });
  });

  test('the first write of an id wins: a later prediction under the same id does not replace it', async () => {
    const a = await replica();
    const b = await replica();
    a.remember('evt-2', prediction({ version: 'v1' }));
    await settled(a);
    b.remember('evt-2', prediction({ version: 'v2' }));
    await settled(b);
    expect(await a.claim(['evt-2'])).toEqual([{ result: 'joined', prediction: prediction({ version: 'v1' }) }]);
  });

  test('an unknown id is unmatched and stays claimable: its prediction arriving later still joins', async () => {
    const a = await replica();
    expect(await a.claim(['late'])).toEqual([{ result: 'unmatched' }]);
    a.remember('late', prediction());
    await settled(a);
    expect((await a.claim(['late']))[0]?.result).toBe('joined');
  });

  test('stateless claims count once across replicas, a joined id is a duplicate for them, and a stateless label makes a later claim a duplicate', async () => {
    const a = await replica();
    const b = await replica();
    expect(await a.claimStateless(['s1', 's2'])).toEqual([true, true]);
    expect(await b.claimStateless(['s1', 's3', 's3'])).toEqual([false, true, false]);
    a.remember('j1', prediction());
    await settled(a);
    expect((await b.claim(['j1']))[0]?.result).toBe('joined');
    expect(await a.claimStateless(['j1'])).toEqual([false]);
    a.remember('j2', prediction());
    await settled(a);
    expect(await b.claimStateless(['j2'])).toEqual([true]);
    expect(await a.claim(['j2', 's1'])).toEqual([{ result: 'duplicate' }, { result: 'duplicate' }]);
  });

  test('outcome scopes: each event claims a remembered id once, apart from its label and the other events, across replicas', async () => {
    const a = await replica();
    const b = await replica();
    const p = prediction();
    a.remember('o1', p);
    await settled(a);
    const checkout = outcomeScope('checkout');
    expect(await b.claim(['o1', 'o1', 'unknown'], 0, checkout)).toEqual([
      { result: 'joined', prediction: p },
      { result: 'duplicate' },
      { result: 'unmatched' },
    ]);
    expect(await a.claim(['o1'], 0, checkout)).toEqual([{ result: 'duplicate' }]);
    expect(await a.claim(['o1'], 0, outcomeScope('click'))).toEqual([{ result: 'joined', prediction: p }]);
    expect(await a.claim(['o1'], 0, LABEL_SCOPE)).toEqual([{ result: 'joined', prediction: p }]);
    // An unknown id is not marked: its prediction arriving later still joins.
    a.remember('unknown', p);
    await settled(a);
    expect(await b.claim(['unknown'], 0, checkout)).toEqual([{ result: 'joined', prediction: p }]);
    const ttl = await admin.ttl('mlwatch:outcome:checkout:o1');
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  test('regression: a labelled prediction still joins its outcomes, after a joined or a stateless label (the Redis label claim erased the stored prediction)', async () => {
    const a = await replica();
    const b = await replica();
    a.remember('l1', prediction());
    a.remember('l2', prediction({ version: 'v2' }));
    await settled(a);
    expect((await a.claim(['l1']))[0]?.result).toBe('joined');
    expect(await a.claimStateless(['l2'])).toEqual([true]);
    expect(await b.claim(['l1', 'l2'], 0, outcomeScope('checkout'))).toEqual([
      { result: 'joined', prediction: prediction() },
      { result: 'joined', prediction: prediction({ version: 'v2' }) },
    ]);
    // The labels are still spent.
    expect(await b.claim(['l1', 'l2'])).toEqual([{ result: 'duplicate' }, { result: 'duplicate' }]);
    expect(await b.claimStateless(['l1'])).toEqual([false]);
  });

  test('stateless and joined outcome claims of one (id, event) count once, whichever comes first', async () => {
    const a = await replica();
    const b = await replica();
    const checkout = outcomeScope('checkout');
    a.remember('j1', prediction());
    await settled(a);
    expect(await a.claimStateless(['s1', 'j1'], 0, checkout)).toEqual([true, true]);
    expect(await b.claimStateless(['s1'], 0, checkout)).toEqual([false]);
    expect(await b.claim(['j1'], 0, checkout)).toEqual([{ result: 'duplicate' }]);
    a.remember('j2', prediction());
    await settled(a);
    expect((await b.claim(['j2'], 0, checkout))[0]?.result).toBe('joined');
    expect(await a.claimStateless(['j2'], 0, checkout)).toEqual([false]);
    // Another event's claims are apart.
    expect(await a.claimStateless(['s1'], 0, outcomeScope('click'))).toEqual([true]);
  });

  test('keys live under key_prefix with the TTL, so two stacks on one Redis do not see each other', async () => {
    const fraud = await replica(new ErrorCounts(), 600, 'fraud-stack:');
    const churn = await replica(new ErrorCounts(), 600, 'churn-stack:');
    fraud.remember('shared-id', prediction());
    await settled(fraud);
    expect(await churn.claim(['shared-id'])).toEqual([{ result: 'unmatched' }]);
    expect(await admin.keys('*')).toEqual(['fraud-stack:id:shared-id']);
    const ttl = await admin.ttl('fraud-stack:id:shared-id');
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    expect((await fraud.claim(['shared-id']))[0]?.result).toBe('joined');
    // Claimed: the prediction goes behind the label mark (outcomes still join it) and keeps its expiry.
    expect(await admin.get('fraud-stack:id:shared-id')).toBe('#fraud|v1|1|NaN|0.93|1764768000000');
    expect(await admin.ttl('fraud-stack:id:shared-id')).toBeGreaterThan(590);
  });

  test('a prediction older than ttl_seconds has expired: its label is unmatched', async () => {
    const a = await replica(new ErrorCounts(), 1);
    a.remember('short-lived', prediction());
    a.remember('claimed-in-time', prediction());
    await settled(a);
    expect((await a.claim(['claimed-in-time']))[0]?.result).toBe('joined');
    await sleep(2100);
    expect(await a.claim(['short-lived'])).toEqual([{ result: 'unmatched' }]);
  }, 10_000);

  test('Redis down: claims reject with JoinStoreUnavailable within a second, remember neither throws nor waits, both counted; back up: works again', async () => {
    const errors = new ErrorCounts();
    const a = await replica(errors);
    a.remember('before', prediction());
    await settled(a);
    await server.stop();

    const started = Date.now();
    await expect(a.claim(['before'])).rejects.toBeInstanceOf(JoinStoreUnavailable);
    await expect(a.claimStateless(['s'])).rejects.toBeInstanceOf(JoinStoreUnavailable);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(errors.counts.claim).toBe(2);

    const rememberStarted = performance.now();
    for (let i = 0; i < 2000; i++) a.remember(`lost-${i}`, prediction());
    expect(performance.now() - rememberStarted).toBeLessThan(200);
    await eventually(
      'the lost writes to be counted',
      () => Promise.resolve(errors.counts.remember === 2000 ? true : undefined),
      3000,
      50,
    );

    await server.start();
    await a.waitUntilReady(5000);
    a.remember('after', prediction());
    await settled(a);
    expect((await a.claim(['after']))[0]?.result).toBe('joined');
    // The restarted Redis is empty (no persistence): the prediction from before is gone.
    expect(await a.claim(['before'])).toEqual([{ result: 'unmatched' }]);
  }, 20_000);

  test('close returns promptly while Redis is down, and the queued predictions are counted as lost', async () => {
    const errors = new ErrorCounts();
    const a = await replica(errors);
    await server.stop();
    try {
      for (let i = 0; i < 10; i++) a.remember(`q-${i}`, prediction());
      stores.splice(stores.indexOf(a), 1);
      const started = Date.now();
      await a.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(errors.counts.remember).toBe(10);
    } finally {
      await server.start();
    }
  }, 10_000);

  test('close flushes the queued predictions before it lets go of the connection', async () => {
    const a = await replica();
    const b = await replica();
    for (let i = 0; i < 50; i++) a.remember(`q-${i}`, prediction());
    stores.splice(stores.indexOf(a), 1);
    await a.close();
    const claims = await b.claim(['q-0', 'q-49']);
    expect(claims.map((c) => c.result)).toEqual(['joined', 'joined']);
  });
});
