import { describe, expect, it } from 'vitest'
import { describeTopology, redisSettingsFromEnv } from '../../server/store/redis-topology.ts'

describe('Redis settings', () => {
  it('reads one Redis, a Cluster and a Sentinel set; none: the embedded one', () => {
    expect(redisSettingsFromEnv({}).topology).toBeUndefined()
    expect(redisSettingsFromEnv({ REDIS_URL: 'redis://10.0.0.5:6379/2' }).topology).toEqual({ kind: 'single', url: 'redis://10.0.0.5:6379/2' })
    expect(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, 10.0.0.2:7001 ,[::1]:7002' }).topology).toEqual({
      kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }, { host: '::1', port: 7002 }], password: undefined,
    })
    const s = redisSettingsFromEnv({ REDIS_SENTINELS: 'a:26379,b:26379', REDIS_SENTINEL_NAME: 'sr', REDIS_DB: '3', REDIS_WAIT_REPLICAS: '1' })
    expect(s).toMatchObject({ topology: { kind: 'sentinel', name: 'sr', db: 3, sentinels: [{ host: 'a', port: 26379 }, { host: 'b', port: 26379 }] }, waitReplicas: 1, waitTimeoutMs: 1000 })
    expect(describeTopology({ kind: 'single', url: 'redis://:secret@h:1' })).not.toContain('secret')
  })

  it('refuses a contradictory or malformed setting with a message that says what to fix', () => {
    const bad: [NodeJS.ProcessEnv, RegExp][] = [
      [{ REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: 'h:2' }, /REDIS_URL and REDIS_CLUSTER_NODES are both set: choose one/],
      [{ REDIS_CLUSTER_NODES: 'h:2', REDIS_SENTINELS: 'h:3', REDIS_SENTINEL_NAME: 'x' }, /both set/],
      [{ REDIS_SENTINELS: 'h:26379' }, /without REDIS_SENTINEL_NAME/],
      [{ REDIS_SENTINEL_NAME: 'x' }, /without REDIS_SENTINELS/],
      [{ REDIS_CLUSTER_NODES: 'h' }, /"h" is not host:port/],
      [{ REDIS_CLUSTER_NODES: 'h:70000' }, /"h:70000" is not host:port/],
      [{ REDIS_CLUSTER_NODES: ' , ' }, /REDIS_CLUSTER_NODES is empty/],
      [{ REDIS_URL: 'localhost:6379' }, /must start with redis:\/\//],
      [{ REDIS_WAIT_REPLICAS: '1' }, /needs a Redis with replicas/],
      [{ REDIS_URL: 'redis://h:1', REDIS_WAIT_REPLICAS: '-1' }, /REDIS_WAIT_REPLICAS="-1" must be a whole number/],
      [{ REDIS_CLUSTER_NODES: 'h:1', REDIS_DB: '2' }, /REDIS_DB is for REDIS_SENTINELS/],
      [{ REDIS_URL: 'redis://h:1', REDIS_PASSWORD: 'x' }, /put the password in the URL/],
      [{ REDIS_URL: 'redis://h:1', REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '1500' }, /must be below REDIS_COMMAND_TIMEOUT_MS \(1500\)/],
    ]
    for (const [env, message] of bad) expect(() => redisSettingsFromEnv(env), JSON.stringify(env)).toThrow(message)
  })
})
