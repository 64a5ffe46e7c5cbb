// Send generated hostile payloads to a server and count what came back: the
// shared body of the fuzz test (npm test) and the fuzz benchmark. Answers are
// judged against DESIGN §4; the stored log is judged afterwards.
import { Redis } from 'ioredis'
import { validateEvent, type ValidEvent } from '../../server/domain/events.ts'
import { checkAttrs } from '../../server/domain/event-bounds.ts'
import { keys } from '../../server/store/keys.ts'
import { hostilePayloads } from './hostile-payloads.ts'
import { INGEST_KEY } from './test-server.ts'

export interface FuzzCounts {
  payloads: number
  byStatus: Record<string, number>
  /** Answers 500–599. */
  serverErrors: number
  /** 4xx answers without { error: { code, message } }. */
  errorsWithoutReason: number
  /** 200 answers with a rejected item that has no reason, or whose counts do not add up. */
  itemsWithoutReason: number
  accepted: number
  duplicates: number
  outOfOrder: number
  rejected: number
  /** Answers that name a script SHA or a Redis error: internal detail must not leak. */
  leaks: number
  healthzPolls: number
  healthzFailures: number
  /** The first few bad answers, for the failure message. */
  examples: string[]
}

const SHA = /\b[0-9a-f]{40}\b|user_script|ERR |cjson/

function judge(c: FuzzCounts, kind: string, status: number, text: string): void {
  c.byStatus[status] = (c.byStatus[status] ?? 0) + 1
  const bad = (what: string) => {
    if (c.examples.length < 10) c.examples.push(`${kind} → ${status} (${what}): ${text.slice(0, 300)}`)
  }
  if (SHA.test(text)) {
    c.leaks++
    bad('leak')
  }
  if (status >= 500) return void (c.serverErrors++, bad('5xx'))
  let body: Record<string, any>
  try {
    body = JSON.parse(text)
  } catch {
    return void (c.errorsWithoutReason++, bad('not JSON'))
  }
  if (status >= 400) {
    const e = body.error
    if (!e || typeof e.code !== 'string' || !e.code || typeof e.message !== 'string' || !e.message) {
      c.errorsWithoutReason++
      bad('no code/message')
    }
    return
  }
  const rejected = Array.isArray(body.rejected) ? body.rejected : null
  if (!rejected || ![body.accepted, body.duplicates, body.outOfOrder].every(Number.isInteger)) return void (c.itemsWithoutReason++, bad('shape'))
  for (const r of rejected) if (typeof r.error !== 'string' || !r.error || !Number.isInteger(r.index)) {
    c.itemsWithoutReason++
    bad('rejected without reason')
  }
  c.accepted += body.accepted
  c.duplicates += body.duplicates
  c.outOfOrder += body.outOfOrder
  c.rejected += rejected.length
}

/** Post `count` payloads of `seed`, `concurrency` at a time, polling /healthz every 100 ms meanwhile. */
export async function runFuzz(o: { url: string; seed: number; count: number; concurrency: number; maxItems: number; now: number; onProgress?: (done: number) => void }): Promise<FuzzCounts> {
  const c: FuzzCounts = {
    payloads: 0, byStatus: {}, serverErrors: 0, errorsWithoutReason: 0, itemsWithoutReason: 0,
    accepted: 0, duplicates: 0, outOfOrder: 0, rejected: 0, leaks: 0, healthzPolls: 0, healthzFailures: 0, examples: [],
  }
  const next = hostilePayloads(o.seed, { now: o.now, maxItems: o.maxItems })
  let running = true
  const poller = (async () => {
    while (running) {
      const status = await fetch(`${o.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0)
      c.healthzPolls++
      if (status !== 200) c.healthzFailures++
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  let done = 0
  const worker = async () => {
    while (c.payloads < o.count) {
      c.payloads++
      const p = next()
      const res = await fetch(`${o.url}/api/v1/events`, {
        method: 'POST', headers: { authorization: `Bearer ${INGEST_KEY}`, ...p.headers }, body: typeof p.body === 'string' ? p.body : new Uint8Array(p.body),
      })
      judge(c, p.kind, res.status, await res.text())
      if (++done % 1000 === 0) o.onProgress?.(done)
    }
  }
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker))
  } finally {
    running = false
    await poller
  }
  return c
}

/** Every event stored in a channel's log that breaks the contract (re-validated as a fresh envelope, bounds included). */
export async function contractBreaks(redisUrl: string, channel = 'live'): Promise<{ entries: number; breaks: string[] }> {
  const redis = new Redis(redisUrl)
  const breaks: string[] = []
  let entries = 0
  try {
    let start = '-'
    for (;;) {
      const page = (await redis.xrange(keys(channel).log, start, '+', 'COUNT', 1000)) as [string, string[]][]
      for (const [sid, fields] of page) {
        entries++
        const e = JSON.parse(fields[fields.indexOf('e') + 1]!) as ValidEvent
        const envelope = { ...e, at: new Date(e.at).toISOString() }
        const v = validateEvent(envelope)
        const bounds = e.attrs && typeof e.attrs === 'object' ? checkAttrs(e.attrs) : 'attrs missing'
        if (!v.ok || bounds) breaks.push(`${sid} ${e.id}: ${v.ok ? bounds : v.error}`)
      }
      if (page.length < 1000) break
      start = `(${page[page.length - 1]![0]}`
    }
  } finally {
    redis.disconnect()
  }
  return { entries, breaks }
}
