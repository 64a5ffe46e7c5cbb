/**
 * Login attempts, counted atomically before the password is checked
 * (server/store/lua/login-attempt.lua): per address first, then per user and address,
 * so 100 parallel guesses are not all evaluated. A user guessed at from many
 * addresses gets a growing gap between attempts instead of a lock, so an
 * anonymous client cannot shut the admin out.
 */
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { LoginLimits } from './login-limits.ts'
import { loginKeys } from '../store/keys.ts'
import { defineScripts } from '../store/lua-scripts.ts'

const digest = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 22) // usernames and addresses of any shape make safe key names

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAddress: 50, perUserAddress: 5, windowSec: 900, userFreeFails: 10, userDelayMs: 1000, userDelayMaxMs: 30_000 }

export class LoginLimiter {
  constructor(private readonly redis: Redis, private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    defineScripts(redis) // connectStore did already; a connection made otherwise gets them here
  }

  private keys(username: string, ip: string) {
    return loginKeys(digest(username), digest(ip))
  }

  /** Take one attempt: 0 when the password may be checked now, else milliseconds to wait. */
  async attempt(username: string, ip: string): Promise<number> {
    const k = this.keys(username, ip)
    const l = this.limits
    const [allowed, waitMs] = await this.redis.luaLoginAttempt(k.address, k.userAddress, k.user, k.next,
      l.perAddress, l.perUserAddress, l.windowSec, l.userFreeFails, l.userDelayMs, l.userDelayMaxMs)
    return allowed === 1 ? 0 : Math.max(1, waitMs)
  }

  /** The password was wrong: the attempt stays counted, and the user's failures grow. */
  async failed(username: string, ip: string): Promise<void> {
    const k = this.keys(username, ip)
    await this.redis.multi().incr(k.user).expire(k.user, this.limits.windowSec).exec()
  }

  /** The right password: give the attempt back and forget this user's failures. */
  async succeeded(username: string, ip: string): Promise<void> {
    const k = this.keys(username, ip)
    const replies = await this.redis.multi().decr(k.address).del(k.userAddress, k.user, k.next).exec()
    if (Number(replies?.[0]?.[1]) <= 0) await this.redis.del(k.address) // expired meanwhile: no negative counter without a TTL
  }
}
