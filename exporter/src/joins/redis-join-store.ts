import { Redis, type ChainableCommander } from 'ioredis';
import type { JoinStoreOperation } from '../../../spec/src/conventions';
import type { JoinsSpec } from '../../../spec/src/schema';
import {
  JoinStoreUnavailable,
  LABEL_SCOPE,
  type ClaimScope,
  type JoinedPrediction,
  type JoinStore,
  type LabelClaim,
} from './join-store';
import { decodePredictionValue, encodePredictionValue } from './redis-prediction-value';
import {
  CLAIM_SCOPED_SCRIPT,
  CLAIM_SCOPED_STATELESS_SCRIPT,
  CLAIM_SCRIPT,
  CLAIM_STATELESS_SCRIPT,
  REMEMBER_SCRIPT,
} from './redis-scripts';

/** `mlwatch_join_store_errors_total`, by operation (registered by the label metrics). */
export interface JoinStoreErrorCounter {
  inc(operation: JoinStoreOperation): void;
}

/** How the store talks to Redis; the defaults suit a Redis on the same network. */
export interface RedisJoinStoreOptions {
  /** Longest a command may take before it fails, in milliseconds (a claim then answers 503). */
  commandTimeoutMs?: number;
  /** Ids per script call: predictions written in one call at most (a full batch is sent at once, the rest at the end of the event-loop turn), and the size of the chunks a claim is split into. */
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
 * The join store shared by every exporter replica, in Redis (6.0 or later). Each id is one key,
 * `<prefix>id:<id>`, holding its prediction's encoded fields (redis-prediction-value.ts) for
 * `ttl_seconds`, written with NX so the first replica to see an id wins. A label claim reads the
 * prediction and marks it labelled in place (same TTL) in one Lua script (redis-scripts.ts),
 * so exactly one claim of an id joins, at whichever replica; a claim in another scope (an outcome
 * event) sets a key of its own, `<prefix><scope>:<id>`, for `ttl_seconds`, in the same script as
 * it reads the prediction. Writes are queued and sent in batches,
 * one script call each; claims fail fast while Redis is
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
      scripts: {
        mlwatchRemember: { lua: REMEMBER_SCRIPT },
        mlwatchClaim: { lua: CLAIM_SCRIPT },
        mlwatchClaimStateless: { lua: CLAIM_STATELESS_SCRIPT },
        mlwatchClaimScoped: { lua: CLAIM_SCOPED_SCRIPT },
        mlwatchClaimScopedStateless: { lua: CLAIM_SCOPED_STATELESS_SCRIPT },
      },
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

  /** JoinStore.claim; Redis expires the keys itself (EX), so the claim needs no clock. */
  async claim(ids: readonly string[], _nowMs?: number, scope: ClaimScope = LABEL_SCOPE): Promise<LabelClaim[]> {
    const replies = await this.run(ids, (pipeline, chunk) => {
      if (scope === LABEL_SCOPE) {
        const keys = chunk.map((id) => this.keyOf(id));
        return pipeline.mlwatchClaim(keys.length, ...keys);
      }
      const keys = chunk.flatMap((id) => [this.keyOf(id), this.claimedKeyOf(scope, id)]);
      return pipeline.mlwatchClaimScoped(keys.length, ...keys, this.ttlSeconds);
    });
    return replies.map((reply): LabelClaim => {
      if (typeof reply !== 'string') return { result: 'unmatched' };
      if (reply === '') return { result: 'duplicate' };
      return { result: 'joined', prediction: decodePredictionValue(reply) };
    });
  }

  /** JoinStore.claimStateless: marks each id as claimed in `scope` for ttl_seconds unless it is marked already. */
  async claimStateless(ids: readonly string[], _nowMs?: number, scope: ClaimScope = LABEL_SCOPE): Promise<boolean[]> {
    const replies = await this.run(ids, (pipeline, chunk) => {
      if (scope === LABEL_SCOPE) {
        const keys = chunk.map((id) => this.keyOf(id));
        return pipeline.mlwatchClaimStateless(keys.length, ...keys, this.ttlSeconds);
      }
      const keys = chunk.map((id) => this.claimedKeyOf(scope, id));
      return pipeline.mlwatchClaimScopedStateless(keys.length, ...keys, this.ttlSeconds);
    });
    return replies.map((reply) => reply === 1);
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

  private keyOf(id: string): string {
    return `${this.prefix}id:${id}`;
  }

  /** The key marking `id` as claimed in a scope other than the label's, e.g. `mlwatch:outcome:checkout:<id>`. */
  private claimedKeyOf(scope: ClaimScope, id: string): string {
    return `${this.prefix}${scope}:${id}`;
  }

  /**
   * Sends one script call per chunk of `batchSize` ids, all in one pipeline, and answers one reply
   * per id in order; rejects with JoinStoreUnavailable (counted once) when any call fails.
   */
  private async run(
    ids: readonly string[],
    command: (pipeline: ChainableCommander, chunk: readonly string[]) => ChainableCommander,
  ): Promise<unknown[]> {
    if (ids.length === 0) return [];
    if (this.closed) throw new JoinStoreUnavailable('the Redis join store is closed');
    const replies: unknown[] = [];
    try {
      const pipeline = this.redis.pipeline();
      for (let start = 0; start < ids.length; start += this.options.batchSize) {
        command(pipeline, ids.slice(start, start + this.options.batchSize));
      }
      const results = await pipeline.exec();
      if (results === null) throw new Error('the pipeline was discarded');
      for (const [error, reply] of results) {
        if (error !== null) throw error;
        if (!Array.isArray(reply)) throw new Error(`expected an array reply, got ${typeof reply}`);
        replies.push(...(reply as unknown[]));
      }
    } catch (error) {
      this.errors.inc('claim');
      throw new JoinStoreUnavailable(`Redis join store: ${(error as Error).message}`, { cause: error });
    }
    if (replies.length !== ids.length) {
      this.errors.inc('claim');
      throw new JoinStoreUnavailable(`Redis join store: ${replies.length} replies for ${ids.length} ids`);
    }
    return replies;
  }

  /** Sends the queued predictions in one script call; failures are counted per prediction, never thrown. */
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
    try {
      const keys = ids.map((id) => this.keyOf(id));
      await this.redis.mlwatchRemember(keys.length, ...keys, this.ttlSeconds, ...values);
    } catch {
      for (let i = 0; i < ids.length; i++) this.errors.inc('remember');
    }
  }
}
