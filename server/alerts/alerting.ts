/**
 * Runs the alert rules of every channel: the SLA scanner and the surge check
 * on their timers, the intake rules after each applied batch. Raising goes
 * through raise-alert.lua, so every instance may run this and each alert is
 * raised once; the alert stream carries it to every instance's sockets.
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
import { hotspotCheck, immediateAlerts } from './intake-rules.ts'
import { OverdueScanner } from './overdue-scanner.ts'
import { surgeAlerts } from './surge-rule.ts'
import { lifetimesOf, resolveSurges } from './alert-lifecycle.ts'

/** Raise, and count it when it is new (another instance may have raised it first). */
async function raise(store: Store, channel: string, alert: Alert): Promise<void> {
  if (await raiseAlert(store, channel, alert)) alertsRaised.inc({ channel: channelKind(channel), type: alert.type })
}

export interface AlertingDeps { store: Store; channels: Channels; regions: RegionIndex; categories: Categories; config: AlertConfig }

export class Alerting {
  private readonly running = new Map<string, { scanner: OverdueScanner; surge: NodeJS.Timeout }>()

  constructor(private readonly d: AlertingDeps) {
    for (const id of d.channels.ids()) this.follow(d.channels.get(id))
    d.channels.onAdded((ch) => this.follow(ch))
    d.channels.onRemoved((ch) => this.unfollow(ch.id))
  }

  /** Intake rules for the events a batch applied; failures are logged, never lose the batch. */
  async onApplied(channel: string, inputs: ApplyInput[]): Promise<void> {
    const { store, regions, categories, config } = this.d
    try {
      // a month of history posted late (a backfill, a drill's warm-up) must not flood the wall with old news
      const oldest = this.d.channels.get(channel).clock.now() - (config.intake?.maxAgeHours ?? DEFAULT_INTAKE_MAX_AGE_HOURS) * 3_600_000
      for (const input of inputs) {
        const e = input.event
        // a clearing event ends the critical alert it names, however late it comes
        if (e.feed === 'grid' && e.type === 'alert' && typeof e.attrs.clears === 'string') await endAlert(store, channel, `critical:${e.attrs.clears}`, 'resolved')
        const fresh = input.event.at >= oldest
        if (fresh) for (const alert of immediateAlerts(input, regions, categories)) await raise(store, channel, alert)
        const hotspot = await hotspotCheck(channel, input, this.d) // kept up to date either way: its window counts old complaints
        if (hotspot && fresh) await raise(store, channel, hotspot)
      }
    } catch (err) {
      logger.error({ channel, err: (err as Error).message }, 'alert rules failed')
    }
  }

  stop(): void {
    for (const id of [...this.running.keys()]) this.unfollow(id)
  }

  private follow(ch: Channel): void {
    const scanner = new OverdueScanner({
      store: this.d.store, channel: ch, regions: this.d.regions, categories: this.d.categories, lifetimes: lifetimesOf(this.d.config),
    })
    scanner.start()
    const surge = setInterval(() => void this.checkSurge(ch), this.d.config.surge.everySec * 1000)
    this.running.set(ch.id, { scanner, surge })
  }

  private unfollow(id: string): void {
    const r = this.running.get(id)
    r?.scanner.stop()
    clearInterval(r?.surge)
    this.running.delete(id)
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
