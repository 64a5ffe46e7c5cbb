/**
 * Figures of a generated stream that a realism check compares with its
 * bounds, gathered in one pass: intake by hour and day, the kind mix,
 * work orders per township, grid volume, dispatch and closure times,
 * overdue and satisfaction shares. Holds one small record per open subject.
 */
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { RegionCollection } from '../../server/domain/regions.ts'
import type { SimCategories } from '../../server/simulation/generators/catalog.ts'
import { shanghaiHour } from '../../server/simulation/generators/intensity.ts'
import { dayStamp } from '../../server/domain/shanghai-time.ts'

/** Intake time, when the dispatch clock starts (受理 or 立案), the deadline in force, SLA hours. */
interface Tracked { intake: number; since: number; deadline: number; dispatched: boolean; sla: number }

const HOUR = 3_600_000

export class RealismStats {
  readonly intakeByHour: number[] = new Array(24).fill(0)
  readonly intakeByDay = new Map<string, number>()
  readonly kinds = new Map<string, number>()
  readonly hotlineByTownship = new Map<string, number>()
  gridEvents = 0
  total = 0
  readonly dispatchMin: number[] = []
  readonly closeHours: number[] = []
  closedOnTime = 0
  closedLate = 0
  rated = 0
  satisfied = 0
  private readonly subjects = new Map<string, Tracked>()
  private readonly townshipOf = new Map<string, string>()
  private readonly caseSla = new Map<string, { normal: number; urgent: number }>()

  constructor(regions: RegionCollection, private readonly categories: SimCategories) {
    const props = new Map(regions.features.map((f) => [f.properties.code, f.properties]))
    for (const p of props.values()) {
      let t: typeof p | undefined = p
      while (t && t.level !== 'township') t = t.parent ? props.get(t.parent) : undefined
      if (t) this.townshipOf.set(p.code, t.code)
    }
    for (const g of categories.case) for (const c of g.children) if (c.sla) this.caseSla.set(c.code, c.sla)
  }

  add(e: EventEnvelope): void {
    this.total++
    if (e.feed === 'grid') return void this.gridEvents++
    const at = Date.parse(e.at)
    const key = `${e.feed}/${e.subject}`
    const a = e.attrs ?? {}
    const s = this.subjects.get(key)
    if (e.type === 'received' || e.type === 'reported') {
      this.intakeByHour[shanghaiHour(at)]!++
      const day = dayStamp(at)
      this.intakeByDay.set(day, (this.intakeByDay.get(day) ?? 0) + 1)
      let sla = (this.caseSla.get(e.category ?? '') ?? { normal: 72, urgent: 24 })[a.priority === 'urgent' ? 'urgent' : 'normal']
      if (e.type === 'received') {
        const kind = String(a.kind)
        this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1)
        const town = this.townshipOf.get(e.region ?? '')
        if (town) this.hotlineByTownship.set(town, (this.hotlineByTownship.get(town) ?? 0) + 1)
        const hs = (this.categories.hotlineSla as Record<string, { normal: number; urgent: number } | undefined>)[kind] ?? { normal: 72, urgent: 24 }
        sla = a.urgency === 'urgent' ? hs.urgent : hs.normal
      }
      const deadline = e.type === 'received' ? deadlineOf(a, at + sla * HOUR) : Infinity
      this.subjects.set(key, { intake: at, since: at, deadline, dispatched: false, sla })
      return
    }
    if (e.type === 'rated') {
      this.rated++
      if (a.satisfaction === 'satisfied') this.satisfied++
    }
    // a subject leaves the map at its first close: a reopened order is not counted twice
    if (!s) return
    if (e.type === 'registered') {
      s.since = at
      s.deadline = deadlineOf(a, at + s.sla * HOUR)
    } else if (e.type === 'extended') s.deadline = deadlineOf(a, s.deadline)
    else if (e.type === 'dispatched' && !s.dispatched) {
      s.dispatched = true
      this.dispatchMin.push((at - s.since) / 60_000)
    } else if (e.type === 'closed' || e.type === 'directClosed') {
      this.closeHours.push((at - s.intake) / HOUR)
      if (Number.isFinite(s.deadline)) at <= s.deadline ? this.closedOnTime++ : this.closedLate++
      this.subjects.delete(key)
    } else if (e.type === 'cancelled' || e.type === 'voided') this.subjects.delete(key)
  }

  /** Open subjects whose deadline passed before `end`: overdue although not closed yet. */
  openOverdue(end: number): number {
    let n = 0
    for (const s of this.subjects.values()) if (s.deadline < end) n++
    return n
  }
}

function deadlineOf(attrs: Record<string, unknown>, fallback: number): number {
  return typeof attrs.deadline === 'string' ? Date.parse(attrs.deadline) : fallback
}
