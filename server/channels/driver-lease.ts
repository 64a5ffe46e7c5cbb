/**
 * Runs a replay's driver (or any timer that must run once, like the overdue
 * scanner) on exactly one instance. Every instance serving the
 * channel tries to take or renew its lease every RENEW_MS; the holder runs the
 * driver, a failed renewal stops it, and when the holder dies the lease
 * expires and another instance takes over within LEASE_TTL_MS.
 */
import type { ReplayScripts } from './replay-scripts.ts'
import { keys } from '../store/keys.ts'

/** What a lease runs: a replay driver, the overdue scanner… */
export interface Leased { stop(): Promise<void>; poke?(): void }

export const LEASE_TTL_MS = 5_000
const RENEW_MS = 1_500

export class DriverLease {
  private driver: Leased | undefined
  private timer: NodeJS.Timeout | undefined
  private turn: Promise<void> = Promise.resolve()
  private stopped = false
  private readonly key: string

  constructor(
    readonly id: string,
    private readonly holder: string,
    private readonly scripts: ReplayScripts,
    private readonly makeDriver: () => Leased,
    key?: string,
  ) {
    this.key = key ?? keys(id).driver
  }

  /** Try at once (the instance that made the channel usually drives it), then every RENEW_MS. */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), RENEW_MS)
    await this.tick()
  }

  get driving(): boolean {
    return this.driver !== undefined
  }

  poke(): void {
    this.driver?.poke?.()
  }

  /** Stop driving and hand the lease back, so another instance can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.turn
    await this.driver?.stop()
    this.driver = undefined
    await this.scripts.lease(this.key, this.holder, 0).catch(() => {})
  }

  private tick(): Promise<void> {
    this.turn = this.turn.then(async () => {
      if (this.stopped) return
      const held = await this.scripts.lease(this.key, this.holder, LEASE_TTL_MS).catch(() => false)
      if (held && !this.driver && !this.stopped) this.driver = this.makeDriver()
      if (!held && this.driver) {
        await this.driver.stop()
        this.driver = undefined
      }
    }).catch((err: unknown) => console.error(`${this.id}: lease ${this.key}: ${(err as Error).message}`))
    return this.turn
  }
}
