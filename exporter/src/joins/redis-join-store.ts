import { Redis, type ChainableCommander, type Result } from 'ioredis';
import type { JoinStoreOperation } from '../../../spec/src/conventions';
import type { JoinsSpec } from '../../../spec/src/schema';
import { JoinStoreUnavailable, type JoinedPrediction, type JoinStore, type LabelClaim } from './join-store';
import { decodePredictionValue, encodePredictionValue } from './redis-prediction-value';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** CLAIM_SCRIPT: the prediction value, '' for a duplicate, null when unknown or expired. */
    mlwatchClaim(predictionKey: string, labelKey: string, ttlSeconds: number): Result<string | null, Context>;
  }
}

/**
 * Claims one id atomically: reads the prediction (KEYS[1]) and, when there is one, sets the
 * label marker (KEYS[2]) unless it is set already. Returns the prediction for the first claim,
 * '' for a duplicate and nil for an unknown or expired id (its marker is not set: a prediction
 * that arrives late can still be joined).
 */
const CLAIM_SCRIPT = `
local prediction = redis.call('GET', KEYS[1])
if not prediction then return false end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return prediction end
return ''
`;

/** `mlwatch_join_store_errors_total`, by operation (registered by the label metrics). */
export interface JoinStoreErrorCounter {
  inc(operation: JoinStoreOperation): void;
}

/** How the store talks to Redis; the defaults suit a Redis on the same network. */
export interface RedisJoinStoreOptions {
  /** Longest a command may take before it fails, in milliseconds (a claim then answers 503). */
  commandTimeoutMs?: number;
  /** Predictions written in one pipeline at most; a full batch is sent at once, the rest at the end of the event-loop turn. */
  batchSize?: number;
  /** Predictions queued or being written at most; beyond it (Redis slow or down) new ones are dropped and counted. */
  maxPendingWrites?: number;
  /** Longest pause between reconnection attempts, in milliseconds. */
  maxReconnectDelayMs?: number;
}

const DEFAULTS: Required<RedisJoinStoreOptions> = {
  commandTimeoutMs: 500,
  batchSize: 1000,
  maxPendingWrites: 100_000,
  maxReconnectDelayMs: 1000,
};

/**
 * The Redis URL of a spec's `joins.redis`: `url` when set, else the environment variable named by
 * `url_env`. Throws naming both keys when neither gives one, so the exporter stops at start-up.
 */
export function redisUrlOf(spec: Pick<JoinsSpec, 'redis'>, env: NodeJS.ProcessEnv = process.env): string {
  const { url, url_env: urlEnv } = spec.redis;
  if (url !== undefined) return url;
  const fromEnv = env[urlEnv];
  if (fromEnv === undefined || fromEnv === '') {
    throw new Error(
      `joins.store is redis but joins.redis.url is not set and the environment variable ${urlEnv} ` +
        `(joins.redis.url_env) is empty: set one of them to a URL like redis://localhost:6379`,
    );
  }
  if (!/^rediss?:\/\//.test(fromEnv)) {
    throw new Error(
      `environment variable ${urlEnv} (joins.redis.url_env): expected a URL like redis://localhost:6379, got ${JSON.stringify(redactPassword(fromEnv))}`,
    );
  }
  return fromEnv;
}

/** The URL without its password, for messages. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * The join store shared by every exporter replica, in Redis. A prediction is one key,
 * `<prefix>p:<id>`, holding its encoded fields (redis-prediction-value.ts) for `ttl_seconds`, written
 * with NX so the first replica to see an id wins; a label claim sets `<prefix>l:<id>` (NX, same TTL)
 * in the same Lua script that reads the prediction, so exactly one claim of an id joins, at
 * whichever replica. Writes are queued and sent in pipelines; claims fail fast while Redis is
 * unreachable (no offline queue, a short command timeout) and the client reconnects in the background.
 */
export class RedisJoinStore implements JoinStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly options: Required<RedisJoinStoreOptions>;
  private readonly ttlSeconds: number;
  private queuedIds: string[] = [];
  private queuedValues: string[] = [];
  /** Predictions sent in pipelines whose replies have not come yet. */
  private inFlight = 0;
  private flushScheduled = false;
  private readonly flushes = new Set<Promise<void>>();
  private closed = false;

  constructor(
    url: string,
    joins: Pick<JoinsSpec, 'ttl_seconds' | 'redis'>,
    private readonly errors: JoinStoreErrorCounter,
    options: RedisJoinStoreOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    // Redis wants whole seconds; rounding up never forgets a prediction early.
    this.ttlSeconds = Math.max(1, Math.ceil(joins.ttl_seconds));
    this.prefix = joins.redis.key_prefix;
    const { commandTimeoutMs, maxReconnectDelayMs } = this.options;
    this.redis = new Redis(url, {
      // A command sent while Redis is unreachable fails at once instead of waiting in a queue.
      enableOfflineQueue: false,
      commandTimeout: commandTimeoutMs,
      connectTimeout: Math.max(commandTimeoutMs, 1000),
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 100, maxReconnectDelayMs),
      scripts: { mlwatchClaim: { lua: CLAIM_SCRIPT, numberOfKeys: 2 } },
    });
    // Connection errors are reported by the commands that fail (counted); without a listener
    // ioredis would print each reconnection attempt's error.
    this.redis.on('error', () => undefined);
  }

  /** Resolves once connected to Redis, or rejects after `timeoutMs`; the store also works without waiting (claims fail until then). */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new JoinStoreUnavailable(`Redis not reachable within ${timeoutMs} ms (status ${this.redis.status})`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  remember(id: string, prediction: JoinedPrediction): void {
    if (this.closed || this.queuedIds.length + this.inFlight >= this.options.maxPendingWrites) {
      this.errors.inc('remember');
      return;
    }
    this.queuedIds.push(id);
    this.queuedValues.push(encodePredictionValue(prediction));
    if (this.queuedIds.length >= this.options.batchSize) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  async claim(ids: readonly string[]): Promise<LabelClaim[]> {
    const replies = await this.run(ids, (pipeline, id) =>
      pipeline.mlwatchClaim(this.predictionKey(id), this.labelKey(id), this.ttlSeconds),
    );
    return replies.map((reply): LabelClaim => {
      if (typeof reply !== 'string') return { result: 'unmatched' };
      if (reply === '') return { result: 'duplicate' };
      return { result: 'joined', prediction: decodePredictionValue(reply) };
    });
  }

  async claimStateless(ids: readonly string[]): Promise<boolean[]> {
    const replies = await this.run(ids, (pipeline, id) =>
      pipeline.set(this.labelKey(id), '1', 'EX', this.ttlSeconds, 'NX'),
    );
    return replies.map((reply) => reply === 'OK');
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await Promise.all([...this.flushes]);
    try {
      await this.redis.quit();
    } catch {
      // Redis is gone: nothing to say goodbye to.
    }
    this.redis.disconnect();
  }

  private predictionKey(id: string): string {
    return `${this.prefix}p:${id}`;
  }

  private labelKey(id: string): string {
    return `${this.prefix}l:${id}`;
  }

  /** Sends one command per id in one pipeline; rejects with JoinStoreUnavailable (counted) when any fails. */
  private async run(
    ids: readonly string[],
    command: (pipeline: ChainableCommander, id: string) => ChainableCommander,
  ): Promise<unknown[]> {
    if (ids.length === 0) return [];
    if (this.closed) throw new JoinStoreUnavailable('the Redis join store is closed');
    let results: [Error | null, unknown][] | null;
    try {
      const pipeline = this.redis.pipeline();
      for (const id of ids) command(pipeline, id);
      results = await pipeline.exec();
    } catch (error) {
      this.errors.inc('claim');
      throw new JoinStoreUnavailable(`Redis join store: ${(error as Error).message}`, { cause: error });
    }
    if (results === null) {
      this.errors.inc('claim');
      throw new JoinStoreUnavailable('Redis join store: the pipeline was discarded');
    }
    const replies: unknown[] = [];
    for (const [error, reply] of results) {
      if (error !== null) {
        this.errors.inc('claim');
        throw new JoinStoreUnavailable(`Redis join store: ${error.message}`, { cause: error });
      }
      replies.push(reply);
    }
    return replies;
  }

  /** Sends the queued predictions in one pipeline; failures are counted per prediction, never thrown. */
  private flush(): void {
    const count = this.queuedIds.length;
    if (count === 0) return;
    const ids = this.queuedIds;
    const values = this.queuedValues;
    this.queuedIds = [];
    this.queuedValues = [];
    this.inFlight += count;
    const done = this.write(ids, values).finally(() => {
      this.inFlight -= count;
      this.flushes.delete(done);
    });
    this.flushes.add(done);
  }

  private async write(ids: readonly string[], values: readonly string[]): Promise<void> {
    let failed = 0;
    try {
      const pipeline = this.redis.pipeline();
      for (let i = 0; i < ids.length; i++) {
        pipeline.set(this.predictionKey(ids[i] as string), values[i] as string, 'EX', this.ttlSeconds, 'NX');
      }
      const results = await pipeline.exec();
      if (results === null) failed = ids.length;
      else for (const [error] of results) if (error !== null) failed++;
    } catch {
      failed = ids.length;
    }
    for (let i = 0; i < failed; i++) this.errors.inc('remember');
  }
}
