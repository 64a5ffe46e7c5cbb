/**
 * A region's panels besides its KPIs: today's trend against yesterday,
 * category and hotline-kind breakdowns, the overdue list and the ranking of
 * its children. Part of every snapshot, and pushed when they change.
 */
import type { Redis } from 'ioredis'
import { dayKey } from '../domain/clock.ts'
import { COUNTER_FAMILY } from '../domain/counters.ts'
import type { Panels, TrendPoint } from '../domain/protocol.ts'
import { rankChildren, type Ranking, type RankingConfig } from '../domain/rankings.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { readRegions, sumFields } from './partition-reads.ts'
import { readKpis, type KpiQuery } from './read-kpis.ts'
import { readOverdueLists } from './read-region-state.ts'

export interface PanelQuery extends KpiQuery { region: string; regions: RegionIndex; ranking: RankingConfig }

export async function readPanels(redis: Redis, q: PanelQuery): Promise<Panels> {
  const today = dayKey(q.now, q.zone)
  const yesterday = dayKey(q.now - 86_400_000, q.zone)
  // trend buckets, category and kind counts are integers: a region over several partitions sums them field by field
  const [[trendToday, trendYesterday, cats, counters], [overdue, serviceOverdue], ranking] = await Promise.all([
    readRegions(redis, q.channel, q.regions, [q.region], (p, k, region) => {
      p.hgetall(k.trend(region, today)).hgetall(k.trend(region, yesterday)).hgetall(k.categories(region, today)).hgetall(k.day(region, today))
      return (r) => r.take(4) as Record<string, string>[]
    }, (parts) => [0, 1, 2, 3].map((i) => sumFields(parts.map((h) => h[i] ?? {}))))
      .then(([hashes]) => hashes!),
    readOverdueLists(redis, q.channel, q.region, q.now, [['case', 'hotline'], ['service']], q.regions),
    rankingOf(redis, q),
  ])
  return {
    trend: trend(trendToday ?? {}, trendYesterday ?? {}),
    categories: countsOf(cats ?? {}, ''),
    hotlineKinds: countsOf(counters ?? {}, COUNTER_FAMILY.hotlineKind).map(({ code, count }) => ({ kind: code, count })),
    overdue: overdue ?? [],
    serviceOverdue: serviceOverdue ?? [],
    ranking,
  }
}

/** Fields starting with `prefix` as {code, count}, largest first. */
function countsOf(h: Record<string, number>, prefix: string) {
  return Object.entries(h)
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, n]) => ({ code: key.slice(prefix.length), count: Number(n) }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}

function trend(today: Record<string, number>, yesterday: Record<string, number>): TrendPoint[] {
  return Array.from({ length: 144 }, (_, bucket) => ({
    bucket, today: Number(today[bucket] ?? 0), yesterday: Number(yesterday[bucket] ?? 0),
  }))
}

/** The region's children ranked on the configured period; null for a region without children. */
async function rankingOf(redis: Redis, q: PanelQuery): Promise<Ranking | null> {
  const children = q.regions.childrenOf(q.region)
  if (children.length === 0) return null
  const kpis = await readKpis(redis, children.map((c) => c.code), q)
  return rankChildren(children.map((c) => ({ code: c.code, name: c.name, values: kpis.get(c.code)![q.ranking.period] })), q.ranking)
}
