/**
 * Reads a channel's state at its own clock's now: snapshots and KPIs. The one
 * place that turns (channel, region) into a store query, for sockets and HTTP.
 */
import type { Redis } from 'ioredis'
import { AppError, StoreUnavailableError, UnknownRegionError } from '../domain/errors.ts'
import type { KpiSet } from '../domain/kpis.ts'
import type { Panels, Snapshot } from '../domain/protocol.ts'
import type { RankingConfig } from '../domain/rankings.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { readKpis } from '../store/read-kpis.ts'
import { readPanels } from '../store/read-panels.ts'
import { readSnapshot } from '../store/read-snapshot.ts'
import type { Channels } from './channels.ts'

export class ChannelReader {
  constructor(
    private readonly store: Redis,
    private readonly channels: Channels,
    private readonly regions: RegionIndex,
    private readonly basicWeight: number,
    private readonly ranking: RankingConfig,
  ) {}

  private query(channelId: string) {
    const ch = this.channels.get(channelId)
    const regions = this.regions
    return {
      channel: ch.id, now: ch.clock.now(), zone: ch.clock.zone, basicWeight: this.basicWeight,
      gridCount: (code: string) => regions.gridCount(code), clock: this.channels.clockState(ch), regions, ranking: this.ranking,
    }
  }

  /** A region's snapshot; with `since`, the events after it when the log still has them. */
  snapshot(channelId: string, region: string, since?: string): Promise<Snapshot> {
    if (!this.regions.get(region)) return Promise.reject(new UnknownRegionError(region))
    if (this.store.status !== 'ready') return Promise.reject(new StoreUnavailableError())
    return readSnapshot(this.store, { ...this.query(channelId), region, since }).catch((err: unknown) => {
      throw err instanceof AppError || this.store.status === 'ready' ? err : new StoreUnavailableError(err)
    })
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
