// The partitions of the demo tree as the test run's servers split it (PARTITION_LEVEL
// from the run's env, see test-server.ts), for tests that read a region's keys directly.
import { loadRegions, partitionLevelFrom } from '../../server/config.ts'
import type { RegionIndex } from '../../server/domain/regions.ts'
import { keys } from '../../server/store/keys.ts'

let index: RegionIndex | undefined

/** The region tree with the test run's PARTITION_LEVEL. */
export function testRegions(): RegionIndex {
  return (index ??= loadRegions(undefined, partitionLevelFrom(process.env)))
}

/** The keys of the partition an event placed at `region` lands in (the channel's own keys with one partition). */
export const keysAt = (channel: string, region: string) => keys(channel, testRegions().partitionOf(region))
