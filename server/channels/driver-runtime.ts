/**
 * This instance's share of the replay channels: it mirrors the registry
 * (ChannelSync), keeps a driver lease per channel so that exactly one
 * instance feeds each, and frees a deleted channel's keys once nothing here
 * writes them any more.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { IngestDeps } from '../ingest/ingest.ts'
import type { ApplyOptions } from '../store/apply-event.ts'
import type { Store } from '../store/redis-client.ts'
import { ChannelSync } from './registry-sync.ts'
import type { Channels } from './channels.ts'
import { DriverLease } from './driver-lease.ts'
import { unlinkChannelKeys } from './drop-keys.ts'
import { ReplayDriver } from './driver.ts'
import { replayScripts, type ReplayScripts } from './replay-scripts.ts'
import { globalKeys } from '../store/keys.ts'

export interface RuntimeDeps {
  store: Store
  channels: Channels
  ingest: IngestDeps
  apply: Omit<ApplyOptions, 'channel'>
}

// writers of a removed channel (overdue scanner, alert rules) may finish one
// round trip after they were stopped; a late sweep catches what they wrote
const SETTLE_MS = 250
const LATE_SWEEP_MS = 3_000

export class ReplayRuntime {
  readonly instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  readonly scripts: ReplayScripts
  private readonly leases = new Map<string, DriverLease>()
  private readonly sweeps = new Set<NodeJS.Timeout>()
  private readonly sync: ChannelSync

  constructor(private readonly d: RuntimeDeps) {
    this.scripts = replayScripts(d.store)
    this.sync = new ChannelSync(d.store, d.channels, {
      present: (id) => this.drive(id),
      changed: (id) => this.leases.get(id)?.poke(),
      gone: (id) => this.forget(id),
    })
  }

  start(): Promise<void> {
    return this.sync.start()
  }

  async stop(): Promise<void> {
    await this.sync.stop()
    await Promise.all([...this.leases.values()].map((l) => l.stop()))
    this.leases.clear()
    for (const t of this.sweeps) clearTimeout(t)
  }

  managed(id: string): boolean {
    return this.sync.managed(id)
  }

  driving(id: string): boolean {
    return this.leases.get(id)?.driving ?? false
  }

  /**
   * Tell every instance that a channel was created, changed or deleted; this
   * one has followed when it resolves. `hereFirst`: follow here before telling
   * the others (a new channel: its maker takes the driver lease first).
   */
  async announce(id: string, hereFirst = false): Promise<void> {
    if (hereFirst) await this.sync.sync(id)
    await this.publish(id)
    if (!hereFirst) await this.sync.sync(id)
  }

  private publish(id: string): Promise<number> {
    return this.d.store.publish(globalKeys.channelUpdates, id)
  }

  private async drive(id: string): Promise<void> {
    const driverDeps = { store: this.d.store, scripts: this.scripts, ingest: this.d.ingest, apply: this.d.apply, announce: async (c: string) => void (await this.publish(c)) }
    const lease = new DriverLease(id, this.instanceId, this.scripts, () => new ReplayDriver(id, driverDeps))
    this.leases.set(id, lease)
    await lease.start()
  }

  private async forget(id: string): Promise<void> {
    const lease = this.leases.get(id)
    this.leases.delete(id)
    await lease?.stop()
    if (this.d.channels.has(id)) await this.d.channels.remove(id) // sockets on it are disconnected
    await new Promise((r) => setTimeout(r, SETTLE_MS))
    await unlinkChannelKeys(this.d.store, id)
    const late = setTimeout(() => {
      this.sweeps.delete(late)
      unlinkChannelKeys(this.d.store, id).catch(() => {})
    }, LATE_SWEEP_MS)
    late.unref()
    this.sweeps.add(late)
  }
}
