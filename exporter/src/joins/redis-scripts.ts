/**
 * The Lua scripts of the Redis join store. Each handles a batch of ids in one command (ioredis
 * spends about ten times more CPU on a thousand pipelined SETs than on one script call with the
 * same keys), and Redis runs a script atomically, so each id's read-and-mark is atomic too.
 * Keys are passed as KEYS, so the scripts touch only what they declare.
 */

import type { Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** REMEMBER_SCRIPT: `numKeys` prediction keys, the TTL, then one value per key; answers the keys written. */
    mlwatchRemember(numKeys: number, ...keysThenArgs: (string | number)[]): Result<number, Context>;
    /** CLAIM_SCRIPT: the ids' keys; one reply per key. */
    mlwatchClaim(numKeys: number, ...keysThenArgs: (string | number)[]): Result<(string | null)[], Context>;
    /** CLAIM_STATELESS_SCRIPT: the ids' keys, then the TTL; 1 for a first label, 0 for a duplicate. */
    mlwatchClaimStateless(numKeys: number, ...keysThenArgs: (string | number)[]): Result<number[], Context>;
  }
}

/** Writes each prediction (KEYS[i] ← ARGV[i + 1]) unless its id is there already (predicted or labelled): the first write wins. */
export const REMEMBER_SCRIPT = `
local ttl = ARGV[1]
local written = 0
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[i + 1], 'NX', 'EX', ttl) then written = written + 1 end
end
return written
`;

/**
 * Claims each id (KEYS[i]): its prediction the first time, after which the value becomes '' (the
 * label mark) with the prediction's remaining TTL, so every later claim is a duplicate; nil for an
 * unknown or expired id, which stays unmarked so a prediction that arrives late can still be joined.
 * One key per id, overwritten in place: about a third of Redis's CPU of a separate marker key.
 */
export const CLAIM_SCRIPT = `
local results = {}
for i = 1, #KEYS do
  local prediction = redis.call('GET', KEYS[i])
  if not prediction then
    results[i] = false
  elseif prediction == '' then
    results[i] = ''
  else
    redis.call('SET', KEYS[i], '', 'XX', 'KEEPTTL')
    results[i] = prediction
  end
end
return results
`;

/** Marks each id (KEYS[i]) as labelled for ARGV[1] seconds: 1 for an id's first label, 0 for a duplicate. */
export const CLAIM_STATELESS_SCRIPT = `
local ttl = ARGV[1]
local results = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == '' then
    results[i] = 0
  else
    redis.call('SET', KEYS[i], '', 'EX', ttl)
    results[i] = 1
  end
end
return results
`;
