/**
 * The data of a 日报 (DESIGN §6 over a day, week or month against the period
 * before it), read at the channel's own clock: the region's KPIs, the trend,
 * categories, the child ranking, current overdue items and the period's alerts.
 */
import type { Redis } from 'ioredis'
import type { Channels } from '../channels/channels.ts'
import type { ReportData } from '../domain/api.ts'
import type { Categories } from '../domain/categories.ts'
import { dayKey } from '../domain/clock.ts'
import { COUNTER as C } from '../domain/counters.ts'
import type { Period } from '../domain/kpis.ts'
import { rankChildren, type Ranking, type RankingConfig } from '../domain/rankings.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { parseReportDate, parseReportPeriod, reportSpans, type ReportPeriod, type ReportSpans } from '../domain/report-period.ts'
import { readAlertHistory } from '../store/read-alert-history.ts'
import { dayCountersFrom } from '../store/day-counter-expiry.ts'
import { readDayBuckets, readPeriodCategories, readPeriodKpis, type PeriodQuery } from '../store/read-period.ts'
import { readOverdue } from '../store/read-region-state.ts'

export interface ReportDeps { store: Redis; channels: Channels; regions: RegionIndex; categories: Categories; basicWeight: number; ranking: RankingConfig }

export interface ReportRequest { channel: string; region: string; period: ReportPeriod; day: string; spans: ReportSpans; q: PeriodQuery; zone: string }

const RANK_PERIOD: Record<ReportPeriod, Period> = { day: 'today', week: '7d', month: 'month' }
const REPORT_ALERTS = 200
const dashed = (day: string) => `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`

/** Parse the period and date (default: today in the channel's zone) of a report or export request. */
export function reportRequest(d: ReportDeps, channelId: string, region: string, period: unknown, date: string | undefined): ReportRequest {
  const ch = d.channels.get(channelId)
  const now = ch.clock.now()
  const day = date ? parseReportDate(date) : dayKey(now, ch.clock.zone)
  const p = parseReportPeriod(period ?? 'day')
  return {
    channel: ch.id, region, period: p, day, spans: reportSpans(day, p), zone: ch.clock.zone,
    q: {
      channel: ch.id, now, basicWeight: d.basicWeight, gridCount: (c) => d.regions.gridCount(c), regions: d.regions,
      agentPlan: { villages: (c) => d.regions.villageCount(c), perVillagePerWeek: d.categories.config.agentVisitsPerVillagePerWeek },
    },
  }
}

/** KPIs of the region's children over the current period, ranked with the configured score and flags. */
export async function childRanking(d: ReportDeps, r: ReportRequest): Promise<Ranking | null> {
  const children = d.regions.childrenOf(r.region)
  if (children.length === 0) return null
  const kpis = await readPeriodKpis(d.store, children.map((c) => c.code), r.spans.current.days, r.q)
  return rankChildren(children.map((c) => ({ code: c.code, name: c.name, values: kpis.get(c.code)!.values })), { ...d.ranking, period: RANK_PERIOD[r.period] })
}


/** Read a whole report. */
export async function readReport(d: ReportDeps, r: ReportRequest): Promise<ReportData> {
  const { store, regions, categories } = d
  const { current, previous } = r.spans
  const region = regions.get(r.region)!
  const [cur, prev, cats, ranking, overdue, alerts, countersFrom] = await Promise.all([
    readPeriodKpis(store, [r.region], current.days, r.q),
    readPeriodKpis(store, [r.region], previous.days, r.q),
    readPeriodCategories(store, r.channel, r.region, current.days, regions),
    childRanking(d, r),
    readOverdue(store, r.channel, r.region, r.q.now, undefined, regions),
    readAlertHistory(store, r.channel, r.zone, current.days, (a) => regions.within(a.region, r.region)),
    dayCountersFrom(store, r.channel),
  ])
  const c = cur.get(r.region)!
  let trend: ReportData['trend']
  if (r.period === 'day') {
    const [a, b] = await Promise.all([readDayBuckets(store, r.channel, r.region, current.days[0]!, regions), readDayBuckets(store, r.channel, r.region, previous.days[0]!, regions)])
    trend = { unit: '10min', points: a.map((n, bucket) => ({ bucket, current: n, previous: b[bucket]! })) }
  } else {
    trend = {
      unit: 'day',
      points: c.perDay.map((h, i) => ({
        day: dashed(current.days[i]!),
        caseReported: h[C.caseReported] ?? 0, hotlineReceived: h[C.hotlineReceived] ?? 0,
        caseClosedFlow: h[C.caseClosedFlow] ?? 0, hotlineClosedFlow: h[C.hotlineClosedFlow] ?? 0,
      })),
    }
  }
  return {
    channel: r.channel,
    region: { code: region.code, name: region.name, level: region.level },
    period: r.period,
    date: dashed(r.day),
    generatedAt: r.q.now,
    zone: r.zone,
    current: { from: dashed(current.from), to: dashed(current.to), kpis: c.values },
    previous: { from: dashed(previous.from), to: dashed(previous.to), kpis: prev.get(r.region)!.values },
    trend,
    categories: cats.map((x) => ({ ...x, name: categories.name(x.code) ?? x.code })),
    ranking,
    overdue: overdue.map((o) => ({
      ...o, regionName: regions.get(o.region)?.name ?? o.region,
      ...(o.category ? { categoryName: categories.name(o.category) ?? o.category } : {}),
    })),
    alerts: alerts.slice(0, REPORT_ALERTS),
    alertsSource: 'history',
    countersFrom: countersFrom && dashed(countersFrom),
  }
}
