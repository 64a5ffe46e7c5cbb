/**
 * A seeded PRNG (mulberry32) and the draws the generators need. Simulators
 * never use Math.random: a seed and a start time fully determine a stream.
 */

/** 32-bit integer hash of a number (splitmix-style), used to spread seeds and build run tags. */
export function hash32(n: number): number {
  let h = (Math.trunc(n) ^ 0x9e3779b9) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  h ^= h >>> 16
  // Fold the high part of large numbers (e.g. epoch seconds) in too.
  return (h ^ Math.trunc(n / 4294967296)) >>> 0
}

export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = hash32(seed)
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** One of `entries` with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of entries) total += w
    let r = this.next() * total
    for (const [item, w] of entries) {
      r -= w
      if (r < 0) return item
    }
    return entries[entries.length - 1]![0]
  }

  /** Exponentially distributed value with the given mean (the gap of a Poisson process). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** Exponential with the given mean, clamped to [min, max]: a plausible delay without absurd tails. */
  delay(mean: number, min: number, max = mean * 6): number {
    return Math.min(max, Math.max(min, this.exp(mean)))
  }
}

/** Weighted choice over many items by binary search of cumulative weights (grids by population). */
export class WeightedTable<T> {
  private readonly cumulative: number[] = []
  private readonly items: T[] = []
  private total = 0

  constructor(entries: Iterable<readonly [T, number]>) {
    for (const [item, w] of entries) {
      if (!(w > 0)) continue
      this.total += w
      this.items.push(item)
      this.cumulative.push(this.total)
    }
  }

  get size(): number {
    return this.items.length
  }

  pick(rng: Rng): T {
    if (this.items.length === 0) throw new Error('pick from an empty weighted table')
    const r = rng.next() * this.total
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cumulative[mid]! > r) hi = mid
      else lo = mid + 1
    }
    return this.items[lo]!
  }
}

export type Bbox = readonly [minX: number, minY: number, maxX: number, maxY: number]

const round6 = (v: number) => Math.round(v * 1e6) / 1e6

/**
 * A point inside a shape by rejection sampling in its bounding box. The point
 * is rounded to 6 decimals (~0.1 m) before the test, so what is sent is what
 * was checked. Undefined after `tries` misses.
 */
export function samplePoint(rng: Rng, bbox: Bbox, inside: (x: number, y: number) => boolean, tries = 200): [number, number] | undefined {
  const [minX, minY, maxX, maxY] = bbox
  for (let i = 0; i < tries; i++) {
    const x = round6(rng.between(minX, maxX))
    const y = round6(rng.between(minY, maxY))
    if (inside(x, y)) return [x, y]
  }
  return undefined
}
