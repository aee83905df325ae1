import { REDIS_SERVER } from '../../bench/support/redis-server';
import { describeWithTools } from './real-tools';

export { RedisServer } from '../../bench/support/redis-server';

/** `describe` for tests that start Redis: fails loudly under CI=true when redis-server is missing, skips with a warning elsewhere. */
export function describeWithRedis(name: string, body: () => void): void {
  describeWithTools([REDIS_SERVER], name, body);
}
