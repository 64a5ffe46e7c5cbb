/**
 * A replay channel's record in its meta hash (keys(id).meta): where its
 * events come from, its clock (base at wallBase, speed, paused), seek state
 * and how far the driver has fed the source. Every instance derives the
 * channel's time from it; replay-clock.lua is the only writer of the clock.
 */
import type { Redis } from 'ioredis'
import type { ChannelSummary, ReplaySource } from '../domain/drill-channels.ts'
import { keys } from '../store/keys.ts'

export type { ChannelSummary, ReplaySource }

export interface ReplayMeta {
  id: string
  source: ReplaySource
  created: number
  spanStart: number // the source's span in channel time: seekTo must lie within it
  spanEnd: number
  total: number // source events stored
  base: number // virtual ms at wallBase
  wallBase: number
  speed: number
  paused: boolean
  seeking: boolean // a rebuild is under way: the clock stands still at seekTo
  epoch: number // seeks asked for
  builtEpoch: number // seeks rebuilt
  rev: number // bumped by every clock change
  fed: string // source stream id of the last event fed ('0-0': none)
  fedCount: number
}

/** The fields a new channel's meta hash starts with. */
export function initialMeta(m: Omit<ReplayMeta, 'id' | 'paused' | 'seeking' | 'epoch' | 'builtEpoch' | 'rev' | 'fed' | 'fedCount'>) {
  return {
    source: JSON.stringify(m.source), created: m.created, spanStart: m.spanStart, spanEnd: m.spanEnd, total: m.total,
    base: m.base, wallBase: m.wallBase, speed: m.speed, paused: '0', seeking: '0', epoch: 0, builtEpoch: 0, rev: 1,
    fed: '0-0', fedCount: 0,
  }
}

/** Parse a meta hash; null when it holds no replay record (deleted, or a live channel's meta). */
export function parseMeta(id: string, h: Record<string, string>): ReplayMeta | null {
  if (!h.source) return null
  const n = (f: string) => Number(h[f] ?? 0)
  return {
    id, source: JSON.parse(h.source) as ReplaySource, created: n('created'), spanStart: n('spanStart'), spanEnd: n('spanEnd'),
    total: n('total'), base: n('base'), wallBase: n('wallBase'), speed: n('speed'), paused: h.paused === '1',
    seeking: h.seeking === '1', epoch: n('epoch'), builtEpoch: n('builtEpoch'), rev: n('rev'), fed: h.fed ?? '0-0',
    fedCount: n('fedCount'),
  }
}

export async function readMeta(redis: Redis, id: string): Promise<ReplayMeta | null> {
  return parseMeta(id, await redis.hgetall(keys(id).meta))
}

/** Channel time at a wall instant. */
export function metaNow(m: Pick<ReplayMeta, 'base' | 'wallBase' | 'speed' | 'paused' | 'seeking'>, wall: number): number {
  return m.paused || m.seeking ? m.base : m.base + (wall - m.wallBase) * m.speed
}

/** Wall ms until channel time reaches `at` (Infinity while the clock stands still). */
export function wallDelay(m: ReplayMeta, at: number, wall: number): number {
  if (m.paused || m.seeking) return Infinity
  return Math.max(0, (at - metaNow(m, wall)) / m.speed)
}

export function summarize(m: ReplayMeta, wall: number): ChannelSummary {
  const now = Math.round(metaNow(m, wall))
  const length = m.spanEnd - m.spanStart
  const progress = length <= 0 ? (now >= m.spanEnd ? 1 : 0) : Math.min(1, Math.max(0, (now - m.spanStart) / length))
  return {
    id: m.id, source: m.source, speed: m.speed, paused: m.paused, seeking: m.seeking, now, progress, created: m.created,
    span: { start: m.spanStart, end: m.spanEnd }, events: { total: m.total, fed: m.fedCount },
  }
}
