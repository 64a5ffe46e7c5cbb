/**
 * Rankings of child regions (DESIGN §6): a composite score from weighted KPI
 * rates, 三色旗 flags by thresholds, and the 红黑榜 top and bottom lists.
 */
import { z } from 'zod'
import { PERIODS, RATE_KPIS, type KpiKey, type KpiValues, type Period } from './kpis.ts'

const RANKABLE = [...RATE_KPIS, 'patrolCoverage'] as const

export const rankingConfigSchema = z
  .strictObject({
    $comment: z.string().optional(),
    period: z.enum(PERIODS),
    weights: z.partialRecord(z.enum(RANKABLE), z.number().positive()),
    flags: z.strictObject({ red: z.number().min(0).max(1), black: z.number().min(0).max(1) }),
    listSize: z.number().int().min(1).max(20),
  })
  .refine((c) => c.flags.black <= c.flags.red, 'flags.black must not be above flags.red')
  .refine((c) => Object.keys(c.weights).length > 0, 'weights: name at least one KPI rate')
export type RankingConfig = z.infer<typeof rankingConfigSchema>

export type Flag = 'red' | 'yellow' | 'black'
export interface RankingEntry { code: string; name: string; rank: number; score: number | null; flag: Flag | null; values: KpiValues }
export interface Ranking { period: Period; entries: RankingEntry[]; red: string[]; black: string[] }

/** Weighted mean of the configured rates that have data; null when none has. */
export function compositeScore(values: KpiValues, weights: RankingConfig['weights']): number | null {
  let sum = 0
  let weight = 0
  for (const [key, w] of Object.entries(weights) as [KpiKey, number][]) {
    const v = values[key]
    if (typeof v === 'number') {
      sum += w * v
      weight += w
    }
  }
  return weight > 0 ? sum / weight : null
}

export function flagOf(score: number | null, flags: RankingConfig['flags']): Flag | null {
  if (score === null) return null
  return score >= flags.red ? 'red' : score < flags.black ? 'black' : 'yellow'
}

/** Rank children by score (no data last, ties by code); 红榜 = top N, 黑榜 = bottom N of those with a score. */
export function rankChildren(children: { code: string; name: string; values: KpiValues }[], cfg: RankingConfig): Ranking {
  const scored = children.map((c) => ({ ...c, score: compositeScore(c.values, cfg.weights) }))
  scored.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.code.localeCompare(b.code))
  const entries = scored.map((c, i) => ({ ...c, rank: i + 1, flag: flagOf(c.score, cfg.flags) }))
  const withScore = entries.filter((e) => e.score !== null)
  const n = Math.min(cfg.listSize, Math.floor(withScore.length / 2) || withScore.length)
  return {
    period: cfg.period,
    entries,
    red: withScore.slice(0, n).map((e) => e.code),
    black: withScore.length > 1 ? withScore.slice(-n).reverse().map((e) => e.code) : [],
  }
}
