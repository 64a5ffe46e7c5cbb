// The 日报 data route against a recount made here from the events sent: cases,
// work orders and patrols spread over ten weeks, read back for a day, a week
// and a month and the period before each.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { caseReported, caseStep, GRID, hotlineReceived, iso } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'

const TOWNSHIP = '650402001' // 老城路街道, GRID's township
const DAY = 86_400_000
const HOUR = 3_600_000
const shanghaiDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10)
const startOfDay = (day: string) => Date.parse(`${day}T00:00:00+08:00`)
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)

interface Sent { day: string; kind: 'case' | 'hotline' | 'patrol'; registered?: boolean; disposed?: boolean; closed?: boolean }
let server: Running
const D = shanghaiDay(Date.now() - DAY) // yesterday: every event of the report lies in the past
const sent: Sent[] = []

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  const events: Record<string, unknown>[] = []
  for (let k = 0; k <= 70; k++) {
    const day = addDays(D, -k)
    const t0 = startOfDay(day) + 9 * HOUR
    for (let i = 0; i < 1 + (k % 3); i++) {
      const id = `RP-${k}-${i}`
      const t = t0 + i * 10 * 60_000
      const registered = i !== 2
      const disposed = registered && (k + i) % 2 === 0
      const closed = disposed && (k + i) % 4 === 0
      events.push(caseReported(id, t, GRID))
      if (registered) events.push(caseStep(id, 'registered', t + 60_000, { deadline: iso(t + 2 * DAY) }), caseStep(id, 'dispatched', t + 120_000))
      if (disposed) events.push(caseStep(id, 'disposed', t + 30 * 60_000))
      if (closed) events.push(caseStep(id, 'closed', t + 40 * 60_000))
      sent.push({ day, kind: 'case', registered, disposed, closed })
    }
    if (k % 2 === 0) {
      const t = t0 + HOUR
      const closed = k % 4 === 0
      events.push(hotlineReceived(`RP-H${k}`, t, GRID))
      if (closed) events.push({ id: `hl-RP-H${k}-direct`, feed: 'hotline', type: 'directClosed', subject: `RP-H${k}`, at: iso(t + HOUR), attrs: {} })
      sent.push({ day, kind: 'hotline', closed })
    }
    if (k % 5 === 0) {
      events.push({ id: `grid-RP-P${k}`, feed: 'grid', type: 'patrol', subject: 'RPW1', at: iso(t0 + 2 * HOUR), region: GRID })
      sent.push({ day, kind: 'patrol' })
    }
  }
  const res = await post(server.url, events)
  expect(res.body.rejected).toEqual([])
}, 120_000)
afterAll(() => server?.stop())

/** The expected KPIs of a set of days, counted from what was sent. */
function recount(days: Set<string>) {
  const inDays = sent.filter((s) => days.has(s.day))
  const cases = inDays.filter((s) => s.kind === 'case')
  const registered = cases.filter((s) => s.registered).length
  const hotline = inDays.filter((s) => s.kind === 'hotline')
  const rate = (n: number, d: number) => (d > 0 ? n / d : null)
  return {
    caseReported: cases.length,
    caseRegistered: registered,
    registerRate: rate(registered, cases.length),
    disposalRate: rate(cases.filter((s) => s.disposed).length, registered),
    closeRate: rate(cases.filter((s) => s.closed).length, registered),
    caseClosedFlow: cases.filter((s) => s.closed).length, // closed the same day as reported
    hotlineReceived: hotline.length,
    hotlineCloseRate: rate(hotline.filter((s) => s.closed).length, hotline.length),
    patrols: inDays.filter((s) => s.kind === 'patrol').length,
  }
}

const range = (from: string, to: string) => {
  const out = new Set<string>()
  for (let d = from; d <= to; d = addDays(d, 1)) out.add(d)
  return out
}
const monthDays = (ym: string) => new Set([...range(addDays(D, -80), addDays(D, 40))].filter((d) => d.startsWith(ym)))
const prevMonth = (ym: string) => {
  const [y, m] = ym.split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

async function report(period: string) {
  const res = await apiFetch(`${server.url}/api/v1/report?region=${TOWNSHIP}&date=${D}&period=${period}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Record<string, any>
}

function expectKpis(actual: Record<string, unknown>, expected: ReturnType<typeof recount>) {
  const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, actual[k]]))
  expect(picked).toEqual(expected)
}

it('a day: its KPIs and the day before, with the 10-minute trend of both', async () => {
  const r = await report('day')
  expect([r.current.from, r.current.to, r.previous.from, r.previous.to]).toEqual([D, D, addDays(D, -1), addDays(D, -1)])
  expectKpis(r.current.kpis, recount(new Set([D])))
  expectKpis(r.previous.kpis, recount(new Set([addDays(D, -1)])))
  expect(r.trend.unit).toBe('10min')
  expect(r.trend.points).toHaveLength(144)
  const sum = (key: string) => r.trend.points.reduce((a: number, p: Record<string, number>) => a + p[key]!, 0)
  expect(sum('current')).toBe(recount(new Set([D])).caseReported + recount(new Set([D])).hotlineReceived)
  expect(sum('previous')).toBe(recount(new Set([addDays(D, -1)])).caseReported + recount(new Set([addDays(D, -1)])).hotlineReceived)
})

it('a week: the 7 days ending on the date against the 7 before, with a daily trend', async () => {
  const r = await report('week')
  expect([r.current.from, r.current.to, r.previous.from, r.previous.to]).toEqual([addDays(D, -6), D, addDays(D, -13), addDays(D, -7)])
  expectKpis(r.current.kpis, recount(range(addDays(D, -6), D)))
  expectKpis(r.previous.kpis, recount(range(addDays(D, -13), addDays(D, -7))))
  expect(r.trend.unit).toBe('day')
  expect(r.trend.points.map((p: { day: string }) => p.day)).toEqual([...range(addDays(D, -6), D)])
  expect(r.trend.points.map((p: { caseReported: number }) => p.caseReported)).toEqual([...range(addDays(D, -6), D)].map((d) => recount(new Set([d])).caseReported))
})

it('a month: the calendar month of the date against the month before', async () => {
  const r = await report('month')
  const ym = D.slice(0, 7)
  expectKpis(r.current.kpis, recount(monthDays(ym)))
  expectKpis(r.previous.kpis, recount(monthDays(prevMonth(ym))))
  expect(r.current.from).toBe(`${ym}-01`)
  expect(r.previous.from).toBe(`${prevMonth(ym)}-01`)
  expect(r.current.kpis.caseReported).toBeGreaterThan(0)
  expect(r.previous.kpis.caseReported).toBeGreaterThan(0)
})

it('ranks the township\'s children over the period, with categories and flags', async () => {
  const r = await report('week')
  expect(r.region).toEqual({ code: TOWNSHIP, name: '老城路街道', level: 'township' })
  const village = r.ranking.entries.find((e: { code: string }) => GRID.startsWith(e.code))
  expect(village.values.caseReported).toBe(recount(range(addDays(D, -6), D)).caseReported)
  expect(['red', 'yellow', 'black']).toContain(village.flag)
  const week = recount(range(addDays(D, -6), D))
  const byCode = Object.fromEntries(r.categories.map((c: { code: string; count: number }) => [c.code, c.count]))
  expect(byCode['city.sanitation']).toBe(week.caseReported)
  expect(byCode['hl.utilities.water']).toBe(week.hotlineReceived)
  expect(r.alertsSource).toBe('history')
})

it('refuses a date that is not a calendar date and a period it does not know', async () => {
  for (const q of ['date=2026-02-30&period=day', 'date=yesterday&period=day', `date=${D}&period=year`]) {
    const res = await apiFetch(`${server.url}/api/v1/report?region=${TOWNSHIP}&${q}`)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST')
  }
})
