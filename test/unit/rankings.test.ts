// Composite scores, 三色旗 thresholds and the 红黑榜 lists.
import { describe, expect, it } from 'vitest'
import { compositeScore, flagOf, rankChildren, rankingConfigSchema, type RankingConfig } from '../../server/domain/rankings.ts'
import { readFileSync } from 'node:fs'

const cfg: RankingConfig = {
  period: 'month',
  weights: { disposalRate: 3, satisfactionRate: 1 },
  flags: { red: 0.9, black: 0.7 },
  listSize: 2,
}

describe('rankings', () => {
  it('weights the configured rates and leaves out those without data', () => {
    expect(compositeScore({ disposalRate: 1, satisfactionRate: 0.6 }, cfg.weights)).toBeCloseTo(0.9, 12)
    expect(compositeScore({ disposalRate: null, satisfactionRate: 0.6 }, cfg.weights)).toBeCloseTo(0.6, 12)
    expect(compositeScore({ disposalRate: null, satisfactionRate: null }, cfg.weights)).toBeNull()
    expect(compositeScore({ closeRate: 1 }, cfg.weights)).toBeNull()
  })

  it('flags red at or above the red threshold, black below the black one, yellow between', () => {
    expect(flagOf(0.9, cfg.flags)).toBe('red')
    expect(flagOf(0.8999, cfg.flags)).toBe('yellow')
    expect(flagOf(0.7, cfg.flags)).toBe('yellow')
    expect(flagOf(0.6999, cfg.flags)).toBe('black')
    expect(flagOf(null, cfg.flags)).toBeNull()
  })

  it('ranks children by score, no data last, and lists top and bottom N', () => {
    const r = rankChildren([
      { code: 'a', name: 'A', values: { disposalRate: 0.5 } },
      { code: 'b', name: 'B', values: { disposalRate: 0.95 } },
      { code: 'c', name: 'C', values: {} },
      { code: 'd', name: 'D', values: { disposalRate: 0.8 } },
      { code: 'e', name: 'E', values: { disposalRate: 0.99 } },
    ], cfg)
    expect(r.entries.map((e) => [e.code, e.rank, e.flag])).toEqual([
      ['e', 1, 'red'], ['b', 2, 'red'], ['d', 3, 'yellow'], ['a', 4, 'black'], ['c', 5, null],
    ])
    expect(r.red).toEqual(['e', 'b'])
    expect(r.black).toEqual(['a', 'd'])
  })

  it('never puts one child on both lists', () => {
    const r = rankChildren([{ code: 'x', name: 'X', values: { disposalRate: 0.5 } }], cfg)
    expect(r.red).toEqual(['x'])
    expect(r.black).toEqual([])
    const three = rankChildren(['p', 'q', 'r'].map((code, i) => ({ code, name: code, values: { disposalRate: i / 2 } })), cfg)
    expect(three.red).toEqual(['r'])
    expect(three.black).toEqual(['p'])
  })

  it('accepts the shipped config and refuses bad thresholds with the reason', () => {
    expect(rankingConfigSchema.safeParse(JSON.parse(readFileSync('config/ranking.json', 'utf8'))).success).toBe(true)
    const bad = rankingConfigSchema.safeParse({ ...cfg, flags: { red: 0.5, black: 0.8 } })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toContain('flags.black')
    expect(rankingConfigSchema.safeParse({ ...cfg, weights: { caseReported: 1 } }).success).toBe(false)
  })
})
