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
    /** CLAIM_SCOPED_SCRIPT: per id its prediction key and its claimed key, then the TTL; one reply per id. */
    mlwatchClaimScoped(numKeys: number, ...keysThenArgs: (string | number)[]): Result<(string | null)[], Context>;
    /** CLAIM_SCOPED_STATELESS_SCRIPT: the ids' claimed keys, then the TTL; 1 for a first claim, 0 for a duplicate. */
    mlwatchClaimScopedStateless(numKeys: number, ...keysThenArgs: (string | number)[]): Result<number[], Context>;
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
 * Prefix of a prediction value whose label was claimed ('#' never starts a model name): the
 * prediction stays readable for outcome claims. A label mark without a prediction (a stateless
 * label of an id not seen) is the empty string.
 */
export const LABELLED_MARK = '#';

/**
 * Claims each id (KEYS[i]) for its label: its prediction the first time, after which the value
 * becomes the prediction behind the label mark (`#`), with the prediction's remaining TTL, so
 * every later label claim is a duplicate and outcome claims still find the prediction; '' for a
 * labelled id, nil for an unknown or expired id, which stays unmarked so a prediction that arrives
 * late can still be joined. One key per id, overwritten in place: about a third of Redis's CPU of
 * a separate marker key.
 */
export const CLAIM_SCRIPT = `
local results = {}
for i = 1, #KEYS do
  local prediction = redis.call('GET', KEYS[i])
  if not prediction then
    results[i] = false
  elseif prediction == '' or string.byte(prediction, 1) == 35 then
    results[i] = ''
  else
    redis.call('SET', KEYS[i], '#' .. prediction, 'XX', 'KEEPTTL')
    results[i] = prediction
  end
end
return results
`;

/**
 * Marks each id (KEYS[i]) as labelled for ARGV[1] seconds, keeping a prediction it holds behind
 * the label mark: 1 for an id's first label, 0 for a duplicate.
 */
export const CLAIM_STATELESS_SCRIPT = `
local ttl = ARGV[1]
local results = {}
for i = 1, #KEYS do
  local value = redis.call('GET', KEYS[i])
  if value == '' or (value and string.byte(value, 1) == 35) then
    results[i] = 0
  else
    redis.call('SET', KEYS[i], value and ('#' .. value) or '', 'EX', ttl)
    results[i] = 1
  end
end
return results
`;

/**
 * Claims each id in a scope other than the label's (an outcome event): KEYS holds, per id, its
 * prediction key then its claimed key `<prefix><scope>:<id>`. The prediction (label mark dropped)
 * the first time, after which the claimed key is set for ARGV[1] seconds and every later claim is
 * a duplicate (''); nil for an unknown or expired id, which stays unclaimed. The prediction key
 * itself is left as it is, so the label and every event of a prediction are claimed apart.
 */
export const CLAIM_SCOPED_SCRIPT = `
local ttl = ARGV[1]
local results = {}
for i = 1, #KEYS, 2 do
  local prediction = redis.call('GET', KEYS[i])
  if prediction and string.byte(prediction, 1) == 35 then prediction = string.sub(prediction, 2) end
  local n = (i + 1) / 2
  if not prediction or prediction == '' then
    results[n] = false
  elseif redis.call('SET', KEYS[i + 1], '1', 'NX', 'EX', ttl) then
    results[n] = prediction
  else
    results[n] = ''
  end
end
return results
`;

/** Sets each claimed key (KEYS[i]) for ARGV[1] seconds unless it is set: 1 for an id's first claim in the scope, 0 for a duplicate. */
export const CLAIM_SCOPED_STATELESS_SCRIPT = `
local ttl = ARGV[1]
local results = {}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ttl) then results[i] = 1 else results[i] = 0 end
end
return results
`;
