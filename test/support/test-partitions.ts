// The region tree as the test servers load it (test/support/test-server.ts):
// split into partitions when the test run sets PARTITION_LEVEL (DESIGN §11),
// so a test that ingests or reads keys itself does so where the server would.
import { loadRegions, partitionLevelFrom } from '../../server/config.ts'
import type { RegionIndex } from '../../server/domain/regions.ts'

export const loadTestRegions = (): RegionIndex => loadRegions(undefined, partitionLevelFrom(process.env))
