/**
 * Runs the alert rules of every channel: the SLA scanner and the surge check
 * on their timers (on the one instance that holds the channel's scanner
 * lease), the intake rules after each applied batch. Raising goes through
 * raise-alert.lua, so each alert is raised once even when two instances race;
 * the alert stream carries it to every instance's sockets.
 */
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel, Channels } from '../channels/channels.ts'
import type { ApplyInput } from '../store/apply-event.ts'
import { activeAlerts, endAlert, raiseAlert } from '../store/alert-store.ts'
import type { Alert } from '../domain/alerts.ts'
import { alertsRaised, channelKind } from '../metrics/metrics.ts'
import { logger } from '../ops/logger.ts'
import type { Store } from '../store/redis-client.ts'
import { DEFAULT_INTAKE_MAX_AGE_HOURS, type AlertConfig } from './alert-config.ts'
import { countsForHotspots, hotspotCheck, immediateAlerts } from './intake-rules.ts'
import { OverdueScanner } from './overdue-scanner.ts'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { DriverLease } from '../channels/driver-lease.ts'
import { replayScripts, type ReplayScripts } from '../channels/replay-scripts.ts'
import { leaseKeys } from '../store/keys.ts'
import { surgeAlerts } from './surge-rule.ts'
import { lifetimesOf, resolveSurges } from './alert-lifecycle.ts'

/** Raise, and count it when it is new (another instance may have raised it first). */
async function raise(store: Store, channel: string, alert: Alert): Promise<void> {
  if (await raiseAlert(store, channel, alert)) alertsRaised.inc({ channel: channelKind(channel), type: alert.type })
}

export interface AlertingDeps { store: Store; channels: Channels; regions: RegionIndex; categories: Categories; config: AlertConfig }

export class Alerting {
  private readonly running = new Map<string, DriverLease>()
  /** This instance in the scanner leases. */
  readonly holder = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`
  private readonly scripts: ReplayScripts

  constructor(private readonly d: AlertingDeps) {
    this.scripts = replayScripts(d.store)
    for (const id of d.channels.ids()) this.follow(d.channels.get(id))
    d.channels.onAdded((ch) => this.follow(ch))
    d.channels.onRemoved((ch) => void this.unfollow(ch.id))
  }

  /** Intake rules for the events a batch applied; failures are logged, never lose the batch. */
  async onApplied(channel: string, inputs: ApplyInput[]): Promise<void> {
    const { store, regions, categories, config } = this.d
    try {
      // a month of history posted late (a backfill, a drill's warm-up) must not flood the wall with old news
      const oldest = this.d.channels.get(channel).clock.now() - (config.intake?.maxAgeHours ?? DEFAULT_INTAKE_MAX_AGE_HOURS) * 3_600_000
      // every complaint window is updated in one pipelined run (each check sends its MULTI when called, so Redis
      // applies them in order), instead of one awaited round trip per hotline `received` before the ack
      // (a promise only for the events that count: most are no hotline `received`)
      const hotspots = inputs.map((input) => countsForHotspots(input, config) ? hotspotCheck(channel, input, this.d).catch((err: unknown) => err as Error) : null)
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i]!
        const e = input.event
        // a clearing event ends the critical alert it names, however late it comes
        if (e.feed === 'grid' && e.type === 'alert' && typeof e.attrs.clears === 'string') await endAlert(store, channel, `critical:${e.attrs.clears}`, 'resolved')
        const fresh = input.event.at >= oldest
        if (fresh) for (const alert of immediateAlerts(input, regions, categories)) await raise(store, channel, alert)
        const hotspot = hotspots[i] && (await hotspots[i]) // kept up to date either way: its window counts old complaints
        if (hotspot instanceof Error) throw hotspot
        if (hotspot && fresh) await raise(store, channel, hotspot)
      }
    } catch (err) {
      logger.error({ channel, err: (err as Error).message }, 'alert rules failed')
    }
  }

  /** Stop every scanner and hand the leases back. */
  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.unfollow(id)))
  }

  /** Whether this instance runs the channel's overdue scanner and surge check now (it holds the lease). */
  scanning(channel: string): boolean {
    return this.running.get(channel)?.driving ?? false
  }

  // with several instances, one runs the scanner and the surge check: it holds the lease; when it dies, another takes over within LEASE_TTL_MS
  private follow(ch: Channel): void {
    const lease = new DriverLease(ch.id, this.holder, this.scripts, () => {
      const scanner = new OverdueScanner({
        store: this.d.store, channel: ch, regions: this.d.regions, categories: this.d.categories, lifetimes: lifetimesOf(this.d.config),
      })
      scanner.start()
      const surge = setInterval(() => void this.checkSurge(ch), this.d.config.surge.everySec * 1000)
      return { stop: async () => { scanner.stop(); clearInterval(surge) } }
    }, leaseKeys.scanner(ch.id))
    this.running.set(ch.id, lease)
    void lease.start()
  }

  private async unfollow(id: string): Promise<void> {
    const lease = this.running.get(id)
    this.running.delete(id)
    await lease?.stop() // hands the lease back: another instance takes over at once
  }

  private async checkSurge(ch: Channel): Promise<void> {
    if (this.d.store.status !== 'ready' || ch.clock.paused) return
    try {
      const surging = await surgeAlerts(this.d.store, ch, this.d.regions, this.d.config.surge)
      for (const alert of surging) await raise(this.d.store, ch.id, alert)
      await resolveSurges(this.d.store, ch.id, await activeAlerts(this.d.store, ch.id), surging)
    } catch {
      // Redis away: the next check tries again
    }
  }
}
