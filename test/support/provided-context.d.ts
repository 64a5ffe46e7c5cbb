import 'vitest'

declare module 'vitest' {
  /** redisTopology: REDIS_CLUSTER_NODES or REDIS_SENTINELS + NAME when the run uses one (TEST_REDIS_TOPOLOGY), else empty. */
  export interface ProvidedContext { redisUrl: string; redisPort: number; redisTopology: Record<string, string> }
}
