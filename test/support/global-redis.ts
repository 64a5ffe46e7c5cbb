// One real redis-server for the whole test run, on a free port; tests use a
// fresh key prefix (channel) each, so they never see each other's keys.
import type { TestProject } from 'vitest/node'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'

let redis: RedisProcess | undefined

export async function setup(project: TestProject) {
  redis = await startRedis()
  project.provide('redisUrl', redis.url)
  project.provide('redisPort', redis.port)
}

export async function teardown() {
  await redis?.stop()
}
