/**
 * A token bucket: `burst` tokens at most, refilled at `perMin` a minute. One
 * per socket limits its subscribes; a refused take changes nothing.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(private readonly perMin: number, private readonly burst: number, private readonly now: () => number = () => performance.now()) {
    this.tokens = burst
    this.last = now()
  }

  /** Take a token; false (and how long until one is back, in ms) when there is none. */
  take(): { ok: true } | { ok: false; retryInMs: number } {
    const t = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perMin) / 60_000)
    this.last = t
    if (this.tokens >= 1) {
      this.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryInMs: Math.ceil(((1 - this.tokens) * 60_000) / this.perMin) }
  }
}
