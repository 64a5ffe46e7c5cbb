/**
 * The simulator's agenda: a binary min-heap of steps ordered by time, ties
 * broken by insertion order so that equal times replay identically.
 */
export type Step = (at: number) => void

interface Entry { at: number; seq: number; step: Step }

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.seq < b.seq)

export class EventQueue {
  private readonly heap: Entry[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  /** Time of the earliest step, or Infinity when empty. */
  peekTime(): number {
    return this.heap[0]?.at ?? Infinity
  }

  push(at: number, step: Step): void {
    const h = this.heap
    h.push({ at, seq: this.seq++, step })
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(h[i]!, h[parent]!)) break
      ;[h[i], h[parent]] = [h[parent]!, h[i]!]
      i = parent
    }
  }

  pop(): { at: number; step: Step } | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (!top || !last) return undefined
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l]!, h[m]!)) m = l
        if (r < h.length && before(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}
