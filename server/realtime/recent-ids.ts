/**
 * A bounded memory of the event ids a log tailer has handed to the screens.
 * After a Redis failover an entry the old master logged (and the screens
 * showed) but no replica kept comes back under a new stream id when its
 * sender resends the unacknowledged batch: the second entry of the same
 * event is dropped here, so a wall never shows an event twice.
 */
export class RecentIds {
  private readonly ids = new Set<string>()
  private readonly ring: string[]
  private next = 0

  constructor(private readonly cap = 20_000) {
    this.ring = new Array<string>(cap)
  }

  /** True the first time `id` is offered among the last `cap` ids. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false
    const old = this.ring[this.next]
    if (old !== undefined) this.ids.delete(old)
    this.ring[this.next] = id
    this.next = (this.next + 1) % this.cap
    this.ids.add(id)
    return true
  }
}
