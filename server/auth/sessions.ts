/**
 * Sessions and display tokens in Redis, so every instance knows them and
 * logout or revocation takes effect everywhere at once. A token is a random
 * id; what it stands for lives only on the server.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { systemTime } from '../domain/clock.ts'
import type { Principal } from '../domain/users.ts'
import { authKeys as K } from '../store/keys.ts'

const digest = (token: string) => createHash('sha256').update(token).digest('base64url') // Redis never holds a usable token

export const SESSION_TTL_SEC = 12 * 3600

export class Sessions {
  constructor(private readonly redis: Redis) {}

  /** A new session for a logged-in user; returns the bearer token. */
  async create(p: Omit<Principal, 'id' | 'kind'>, ttlSec = SESSION_TTL_SEC): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url')
    const principal: Principal = { ...p, kind: 'session', id: digest(token).slice(0, 16) }
    await this.redis.set(K.session(digest(token)), JSON.stringify(principal), 'EX', ttlSec)
    return { token, expiresAt: systemTime() + ttlSec * 1000 }
  }

  /** A long-lived display token for a wall, revocable by id. */
  async createDisplay(p: { name: string; region: string; channel?: string; createdBy: string }): Promise<{ token: string; id: string }> {
    const token = `wall_${randomBytes(24).toString('base64url')}`
    const id = digest(token).slice(0, 16)
    const principal: Principal = { kind: 'display', id, username: `display:${id}`, name: p.name, role: 'display', region: p.region }
    if (p.channel) principal.channel = p.channel
    // two keys in two cluster slots, so no MULTI: listed first, then made valid, so a token that works can always be revoked
    await this.redis.hset(K.displays, id, JSON.stringify({ ...principal, createdBy: p.createdBy, createdAt: systemTime(), key: digest(token) }))
    await this.redis.set(K.session(digest(token)), JSON.stringify(principal))
    return { token, id }
  }

  async displays(): Promise<Record<string, unknown>[]> {
    return (await this.redis.hvals(K.displays)).map((j) => {
      const { key: _, ...rest } = JSON.parse(j) as Record<string, unknown>
      return rest
    })
  }

  /** Revoke a display token: it stops working on every instance and every socket using it. */
  async revokeDisplay(id: string): Promise<boolean> {
    const json = await this.redis.hget(K.displays, id)
    if (!json) return false
    const { key } = JSON.parse(json) as { key: string }
    await this.redis.del(K.session(key)) // invalid first, unlisted second: a failure in between leaves it listed, and revoking again finishes
    await this.redis.hdel(K.displays, id)
    return true
  }

  /** Revoke every display token of a drill channel (when the channel is deleted): how many. */
  async revokeDisplaysOf(channel: string): Promise<number> {
    const ids = Object.entries(await this.redis.hgetall(K.displays))
      .filter(([, json]) => (JSON.parse(json) as { channel?: string }).channel === channel)
      .map(([id]) => id)
    let n = 0
    for (const id of ids) if (await this.revokeDisplay(id)) n++
    return n
  }

  async resolve(token: string | undefined): Promise<Principal | null> {
    if (!token || token.length > 200) return null
    const json = await this.redis.get(K.session(digest(token)))
    return json ? (JSON.parse(json) as Principal) : null
  }

  async end(token: string): Promise<void> {
    await this.redis.del(K.session(digest(token)))
  }
}
