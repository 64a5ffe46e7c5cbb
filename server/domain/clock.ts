/**
 * Channel time. Nothing else reads Date.now(): a live channel's clock is wall
 * time, a replay's is scenario time; days and 10-minute buckets are taken in
 * the configured zone (Asia/Shanghai by default).
 */
export interface Clock {
  now(): number
  readonly zone: string
  readonly speed: number
  readonly paused: boolean
  /** Wall milliseconds until the channel instant `at` (Infinity while paused). */
  wallDelayUntil(at: number): number
}

/** The zone a channel's days are taken in when none is configured. */
export const DEFAULT_ZONE = 'Asia/Shanghai'

export const systemTime = (): number => Date.now()

export const wallClock = (zone = DEFAULT_ZONE): Clock => ({
  now: systemTime, zone, speed: 1, paused: false, wallDelayUntil: (at) => Math.max(0, at - systemTime()),
})

/**
 * Scenario time for replay and simulation channels: starts at a virtual
 * instant and advances at `speed` times wall time; can pause and seek.
 */
export class ReplayClock implements Clock {
  private base: number
  private wallBase: number
  speed: number
  paused = false

  constructor(start: number, speed: number, readonly zone = DEFAULT_ZONE, private readonly wall: () => number = systemTime) {
    this.base = start
    this.wallBase = wall()
    this.speed = speed
  }

  now(): number {
    return this.paused ? this.base : this.base + (this.wall() - this.wallBase) * this.speed
  }

  /** Change speed from now on, keeping the current virtual instant. */
  setSpeed(speed: number): void {
    this.rebase(this.now())
    this.speed = speed
  }

  setPaused(paused: boolean): void {
    this.rebase(this.now())
    this.paused = paused
  }

  seek(to: number): void {
    this.rebase(to)
  }

  wallDelayUntil(at: number): number {
    if (this.paused) return Infinity
    return Math.max(0, (at - this.now()) / this.speed)
  }

  private rebase(virtual: number): void {
    this.base = virtual
    this.wallBase = this.wall()
  }
}

const partsCache = new Map<string, Intl.DateTimeFormat>()
function formatter(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    })
    partsCache.set(zone, f)
  }
  return f
}

type Parts = { y: string; m: string; d: string; hour: number; minute: number }
/** A slot's parts at its start, and its day key (built once per slot, not once per event). */
type Slot = Parts & { day: string }
const SLOT = 900_000 // every zone offset is a multiple of 15 minutes, so within a slot only the minute moves
const slotCache = new Map<string, Slot>()
// the slot asked for last: a batch's events mostly share one, so most calls build no cache key
let last: { zone: string; start: number; slot: Slot } | undefined

/** The parts of the 15-minute slot `start` in a zone (formatToParts once per zone and slot). */
function slotAt(start: number, zone: string): Slot {
  if (last && last.start === start && last.zone === zone) return last.slot
  const key = `${zone}|${start}`
  let slot = slotCache.get(key)
  if (!slot) {
    const p: Record<string, string> = {}
    for (const { type, value } of formatter(zone).formatToParts(start)) p[type] = value
    slot = { y: p.year!, m: p.month!, d: p.day!, hour: Number(p.hour), minute: Number(p.minute), day: `${p.year}${p.month}${p.day}` }
    if (slotCache.size >= 4096) slotCache.clear() // bounded: a replay sweeping years must not grow it
    slotCache.set(key, slot)
  }
  last = { zone, start, slot }
  return slot
}

const slotStart = (ms: number) => Math.floor(ms / SLOT) * SLOT

/** Calendar parts of an instant in a zone (formatToParts once per zone and 15-minute slot). */
export function zonedParts(ms: number, zone: string): Parts {
  const start = slotStart(ms)
  const { y, m, d, hour, minute } = slotAt(start, zone)
  return { y, m, d, hour, minute: minute + Math.floor((ms - start) / 60_000) }
}

/** Day key yyyymmdd of an instant in a zone. */
export function dayKey(ms: number, zone: string): string {
  return slotAt(slotStart(ms), zone).day
}

/** Index 0–143 of the 10-minute bucket of an instant within its zoned day. */
export function bucketOfDay(ms: number, zone: string): number {
  const start = slotStart(ms)
  const { hour, minute } = slotAt(start, zone)
  return hour * 6 + Math.floor((minute + Math.floor((ms - start) / 60_000)) / 10)
}

/** Day keys of the n days ending with the day of `ms` (newest last). */
export function lastDays(ms: number, zone: string, n: number): string[] {
  const out: string[] = []
  for (let i = n - 1; i >= 0; i--) out.push(dayKey(ms - i * 86_400_000, zone))
  return [...new Set(out)]
}
