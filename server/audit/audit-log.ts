/**
 * The audit trail (DESIGN §12): who did what, from where, when — one entry
 * per login, failed login, logout, display-token create/revoke, alert ack and
 * drill change, in one Redis stream trimmed by age (AUDIT_RETENTION_DAYS).
 * An entry is written after its action succeeded and before the answer is
 * sent; when Redis refuses it (the action has already happened, so failing
 * the answer would only invite a second action), it is retried once and then
 * printed to stderr whole as `AUDIT LOST`, for the log collector to keep.
 */
import type { Redis } from 'ioredis'
import { globalKeys } from '../store/keys.ts'

export interface AuditEntry {
  who: string
  role: string
  address: string
  action: string
  target: string
  /** Epoch ms. */
  at: number
}

export interface AuditFilter { user?: string; action?: string; from?: number; to?: number; limit: number }

const DAY_MS = 86_400_000
const FIELDS = ['who', 'role', 'address', 'action', 'target', 'at'] as const

export class AuditLog {
  constructor(private readonly redis: Redis, private readonly retentionDays: number, private readonly now: () => number) {}

  /** Append one entry (see the module note for what happens when Redis refuses). */
  async record(e: Omit<AuditEntry, 'at'>): Promise<void> {
    const at = this.now()
    const entry: AuditEntry = { ...e, at }
    const args = FIELDS.flatMap((f) => [f, String(entry[f]).slice(0, 500)])
    const minId = String(at - this.retentionDays * DAY_MS)
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // the id is the action's own time (ms-seq chosen by Redis), so MINID trims by age and ranges read by time
        await this.redis.xadd(globalKeys.audit, 'MINID', '~', minId, '*', ...args)
        return
      } catch (err) {
        if (attempt === 1) console.error('AUDIT LOST', JSON.stringify(entry), (err as Error).message)
      }
    }
  }

  /** Entries newest first, filtered, at most `limit`. */
  async read(f: AuditFilter): Promise<(AuditEntry & { id: string })[]> {
    const out: (AuditEntry & { id: string })[] = []
    let end = f.to !== undefined ? String(f.to) : '+'
    const start = f.from !== undefined ? String(f.from) : '-'
    for (;;) {
      const page = await this.redis.xrevrange(globalKeys.audit, end, start, 'COUNT', 500)
      for (const [id, flat] of page) {
        const e = Object.fromEntries(flat.reduce<string[][]>((acc, v, i) => (i % 2 ? acc[acc.length - 1]!.push(v) : acc.push([v]), acc), []))
        const entry = { id, who: e.who ?? '', role: e.role ?? '', address: e.address ?? '', action: e.action ?? '', target: e.target ?? '', at: Number(e.at) }
        if ((f.user && entry.who !== f.user) || (f.action && entry.action !== f.action && !entry.action.startsWith(`${f.action}.`))) continue
        out.push(entry)
        if (out.length >= f.limit) return out
      }
      if (page.length < 500) return out
      end = `(${page.at(-1)![0]}`
    }
  }
}
