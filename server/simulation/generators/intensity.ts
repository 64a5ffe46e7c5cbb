/**
 * How busy the city is at an instant: the hourly profile (interpolated
 * between hour centres, so a day has no steps) times the weekday/weekend
 * factor, in Asia/Shanghai time. Rates are per hour for a population.
 */
import type { SimParams } from '../sim-params.ts'

const HOUR = 3_600_000
const OFFSET_MS = 8 * HOUR

export type DayType = 'weekday' | 'weekend'
/** `auto` takes the calendar: Saturday and Sunday are weekend days. */
export type DayTypeMode = DayType | 'auto'

/** Hour of day in Shanghai, 0–23. */
export const shanghaiHour = (ms: number) => new Date(ms + OFFSET_MS).getUTCHours()

/** Epoch ms of the Shanghai midnight at or before `ms`. */
export const shanghaiMidnight = (ms: number) => Math.floor((ms + OFFSET_MS) / (24 * HOUR)) * 24 * HOUR - OFFSET_MS

export function dayTypeOf(ms: number, mode: DayTypeMode = 'auto'): DayType {
  if (mode !== 'auto') return mode
  const dow = new Date(ms + OFFSET_MS).getUTCDay()
  return dow === 0 || dow === 6 ? 'weekend' : 'weekday'
}

export class Intensity {
  private readonly hourly: number[]

  constructor(private readonly params: SimParams, private readonly mode: DayTypeMode = 'auto') {
    const h = params.profile.hourly
    const mean = h.reduce((a, b) => a + b, 0) / h.length
    this.hourly = h.map((v) => v / mean)
  }

  /** The hourly profile at `ms`, normalised so that a day averages 1. */
  profile(ms: number): number {
    const x = (ms - shanghaiMidnight(ms)) / HOUR - 0.5
    const i = Math.floor(x)
    const f = x - i
    const a = this.hourly[(i + 24) % 24]!
    const b = this.hourly[(i + 1) % 24]!
    return a + (b - a) * f
  }

  dayType(ms: number): DayType {
    return dayTypeOf(ms, this.mode)
  }

  dayFactor(ms: number): number {
    return this.dayType(ms) === 'weekend' ? this.params.profile.weekendFactor : 1
  }

  /** Intakes per hour at `ms` for `population` residents, given a weekday rate per 10,000 residents a day. */
  perHour(per10kPerDay: number, population: number, ms: number): number {
    return (per10kPerDay * population) / 10_000 / 24 * this.profile(ms) * this.dayFactor(ms)
  }
}
