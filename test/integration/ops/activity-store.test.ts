import { afterAll, beforeAll, describe } from 'vitest';
import { RedisActivityStore, RedisConnection } from '../../../api/src/backends/redis/stores';
import { activityStoreContract } from '../../support/activity-store-contract';
import { startRedis, type RedisServer } from './redis-server';

// The same contract as the memory store's, against a real redis-server shared by instances.

let redis: RedisServer;
let connection: RedisConnection;

beforeAll(async () => {
  redis = await startRedis();
  connection = new RedisConnection({ url: redis.url, keyPrefix: 'activity-test:', timeoutMs: 2000 });
});
afterAll(async () => {
  await connection.close();
  await redis.stop();
});

describe('Redis activity store', () => {
  activityStoreContract((now) => new RedisActivityStore(connection, now), 'redis');
});
