/**
 * npm run open311:pull -- --url https://city.example/open311/v2 --jurisdiction city.example
 *   [--key API_KEY] [--since 2026-11-01T00:00:00Z] [--map remote=ours,…] [--default-category city.sanitation]
 *   [--region CODE] [--interval 60] [--once] --target http://localhost:3000 --ingest-key KEY
 *
 * Polls a remote GeoReport v2 endpoint (GET requests.json in windows of at
 * most 90 days from --since to now) and posts what it finds to our ingest API
 * as case events with ids derived from the remote ids, so a request seen
 * again is a duplicate and a request closed since is one new `closed` event.
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { eventsOf, type PullMapping, type RemoteRequest } from '../open311/pull-mapping.ts'
import { systemTime } from '../domain/clock.ts'

const SPAN_MS = 90 * 86_400_000
const BATCH = 500

export interface PullOptions extends PullMapping { url: string; key?: string; since: number; target: string; ingestKey: string }
export interface PollResult { fetched: number; accepted: number; duplicates: number; rejected: string[] }

async function fetchWindow(o: PullOptions, from: number, to: number): Promise<RemoteRequest[]> {
  const q = new URLSearchParams({ jurisdiction_id: o.jurisdiction, start_date: new Date(from).toISOString(), end_date: new Date(to).toISOString() })
  if (o.key) q.set('api_key', o.key)
  const res = await fetch(`${o.url.replace(/\/$/, '')}/requests.json?${q}`)
  if (!res.ok) throw new Error(`GET requests.json: ${res.status} ${(await res.text()).slice(0, 200)}`)
  const body = (await res.json()) as unknown
  if (!Array.isArray(body)) throw new Error('GET requests.json did not answer a JSON array')
  return body as RemoteRequest[]
}

/** One poll: every window from --since to now, mapped and posted; the counts. */
export async function pollOnce(o: PullOptions, now = systemTime(), log: (line: string) => void = console.log): Promise<PollResult> {
  const result: PollResult = { fetched: 0, accepted: 0, duplicates: 0, rejected: [] }
  for (let from = o.since; from < now; from += SPAN_MS) {
    const to = Math.min(from + SPAN_MS, now)
    const remote = await fetchWindow(o, from, to)
    result.fetched += remote.length
    const events: object[] = []
    for (const r of remote) {
      const mapped = eventsOf(r, o)
      if (typeof mapped === 'string') result.rejected.push(mapped)
      else events.push(...mapped)
    }
    for (let i = 0; i < events.length; i += BATCH) {
      const res = await fetch(`${o.target.replace(/\/$/, '')}/api/v1/events`, {
        method: 'POST', headers: { authorization: `Bearer ${o.ingestKey}`, 'content-type': 'application/json' }, body: JSON.stringify(events.slice(i, i + BATCH)),
      })
      if (!res.ok) throw new Error(`POST /api/v1/events: ${res.status} ${(await res.text()).slice(0, 200)}`)
      const r = (await res.json()) as { accepted: number; duplicates: number; rejected: { id: string | null; error: string }[] }
      result.accepted += r.accepted
      result.duplicates += r.duplicates
      result.rejected.push(...r.rejected.map((x) => `${x.id}: ${x.error}`))
    }
    log(`${new Date(from).toISOString().slice(0, 10)}…${new Date(to).toISOString().slice(0, 10)}: ${remote.length} requests, ${result.accepted} accepted, ${result.duplicates} duplicates, ${result.rejected.length} rejected so far`)
  }
  return result
}

function options(argv: string[]): PullOptions & { once: boolean; intervalSec: number } {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' }, jurisdiction: { type: 'string' }, key: { type: 'string' }, since: { type: 'string' },
      target: { type: 'string', default: 'http://localhost:3000' }, 'ingest-key': { type: 'string' },
      map: { type: 'string' }, 'default-category': { type: 'string' }, region: { type: 'string' },
      interval: { type: 'string', default: '60' }, once: { type: 'boolean', default: false },
    },
  })
  if (!v.url || !v.jurisdiction || !v['ingest-key']) throw new Error('required: --url <GeoReport v2 base> --jurisdiction <id> --ingest-key <key> [--target http://localhost:3000]')
  const since = v.since ? Date.parse(v.since) : systemTime() - 86_400_000
  if (Number.isNaN(since)) throw new Error(`--since must be an ISO date-time, not "${v.since}"`)
  const categories = Object.fromEntries((v.map ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string]))
  const intervalSec = Number(v.interval)
  if (!(intervalSec >= 1)) throw new Error('--interval is seconds, at least 1')
  return {
    url: v.url, jurisdiction: v.jurisdiction, key: v.key, since, target: v.target!, ingestKey: v['ingest-key'],
    categories, defaultCategory: v['default-category'], region: v.region, once: v.once!, intervalSec,
  }
}

async function main() {
  const o = options(process.argv.slice(2))
  let stop = false
  process.once('SIGINT', () => { stop = true })
  for (let n = 1; ; n++) {
    const r = await pollOnce(o)
    console.log(`poll ${n}: ${r.fetched} requests fetched, ${r.accepted} events accepted, ${r.duplicates} duplicates, ${r.rejected.length} rejected`)
    for (const why of r.rejected.slice(0, 20)) console.log(`  rejected ${why}`)
    if (o.once || stop) return
    await new Promise((res) => setTimeout(res, o.intervalSec * 1000))
    if (stop) return
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`open311:pull: ${(err as Error).message}`)
    process.exit(1)
  })
}
