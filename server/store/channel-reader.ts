/**
 * Reads a channel's state at its own clock's now: snapshots and KPIs. The one
 * place that turns (channel, region) into a store query, for sockets and HTTP.
 * Snapshots go through a bounded queue that shares concurrent reads of one region.
 */
import type { Redis } from 'ioredis'
import type { Clock } from '../domain/clock.ts'
import { AppError, StoreUnavailableError, UnknownRegionError } from '../domain/errors.ts'
import type { KpiSet } from '../domain/kpis.ts'
import type { ClockState, Panels, Snapshot } from '../domain/protocol.ts'
import type { RankingConfig } from '../domain/rankings.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { readKpis } from './read-kpis.ts'
import { readPanels } from './read-panels.ts'
import { readSnapshot } from './read-snapshot.ts'
import { SnapshotQueue, type QueueOptions, type SnapshotQueueLimits } from './snapshot-queue.ts'
import { roomKey } from '../domain/room-key.ts'

/** What the reader needs of the channels an instance serves (channels/channels.ts): each one's clock. */
export interface ChannelClocks {
  get(id: string): { id: string; clock: Clock }
  clockState(c: { id: string; clock: Clock }): ClockState
}

export const SNAPSHOT_LIMITS: SnapshotQueueLimits = { concurrency: 4, maxWaiting: 1_000 }

export class ChannelReader {
  private readonly snapshots: SnapshotQueue<Snapshot>

  constructor(
    private readonly store: Redis,
    private readonly channels: ChannelClocks,
    private readonly regions: RegionIndex,
    private readonly basicWeight: number,
    private readonly ranking: RankingConfig,
    limits: SnapshotQueueLimits = SNAPSHOT_LIMITS,
    private readonly agentVisitsPerVillagePerWeek = 0,
  ) {
    this.snapshots = new SnapshotQueue(limits)
  }

  private query(channelId: string) {
    const ch = this.channels.get(channelId)
    const regions = this.regions
    return {
      channel: ch.id, now: ch.clock.now(), zone: ch.clock.zone, basicWeight: this.basicWeight,
      gridCount: (code: string) => regions.gridCount(code), clock: this.channels.clockState(ch), regions, ranking: this.ranking,
      agentPlan: { villages: (code: string) => regions.villageCount(code), perVillagePerWeek: this.agentVisitsPerVillagePerWeek },
    }
  }

  /**
   * A region's snapshot; with `since`, the events after it when the log still has them.
   * Without `since`, a read of the same region already waiting (or running, with
   * `joinRunning`) is shared: its cursor may then be older than the caller's start.
   */
  snapshot(channelId: string, region: string, since?: string, o: QueueOptions = {}): Promise<Snapshot> {
    if (!this.regions.get(region)) return Promise.reject(new UnknownRegionError(region))
    if (this.store.status !== 'ready') return Promise.reject(new StoreUnavailableError())
    try {
      this.channels.get(channelId) // an unknown channel fails here, not inside a shared read
    } catch (err) {
      return Promise.reject(err)
    }
    const key = since === undefined ? roomKey(channelId, region) : undefined // one read shared by the room's sockets
    const read = () => readSnapshot(this.store, { ...this.query(channelId), region, since }).catch((err: unknown) => {
      throw err instanceof AppError || this.store.status === 'ready' ? err : new StoreUnavailableError(err)
    })
    return this.snapshots.run(key, read, o)
  }

  /** Snapshot reads building and waiting now. */
  get snapshotLoad(): { building: number; waiting: number } {
    return this.snapshots.load
  }

  kpis(channelId: string, regions: string[]): Promise<Map<string, KpiSet>> {
    return readKpis(this.store, regions, this.query(channelId))
  }

  async panels(channelId: string, regions: string[]): Promise<Map<string, Panels>> {
    const q = this.query(channelId)
    const all = await Promise.all(regions.map((region) => readPanels(this.store, { ...q, region })))
    return new Map(regions.map((r, i) => [r, all[i]!]))
  }
}
