/**
 * Hands out turns of the event loop, a few callers per turn. A read shared by
 * a thousand sockets, or a flood of refused subscribes, would otherwise be
 * answered in one unbroken run of encoding and writing while health checks
 * and other sockets wait; paced, the answers go out a batch per turn with
 * I/O served in between.
 */
export class DeliveryPacer {
  private readonly waiting: (() => void)[] = []
  private scheduled = false

  constructor(private readonly perTurn: number) {}

  /** Run `fn` in a later turn of the event loop, at most `perTurn` of them per turn, in order. */
  later(fn: () => void): void {
    this.waiting.push(fn)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.run())
    }
  }

  /** Resolves in a later turn (see later()). */
  turn(): Promise<void> {
    return new Promise((resolve) => this.later(resolve))
  }

  private run(): void {
    for (const fn of this.waiting.splice(0, this.perTurn)) fn()
    if (this.waiting.length > 0) setImmediate(() => this.run()) // queued from an immediate: runs after the next poll for I/O
    else this.scheduled = false
  }
}
