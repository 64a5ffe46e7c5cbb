// Valid events of every feed spread over the grids of the province test tree
// (test/support/province-tree.ts), deterministic for a seed: per grid a case
// (立案 → 派遣 → 处置 → 结案, some 返工, 自行处置, 不予立案, disputes with an outcome,
// some left open and overdue), a 12345 call and work order (派单 → 答复 → 办结 → 回访,
// or 直接办结, or still open), a 代办 errand (受理 → 转办 → 办结 → 送达 → 评价, or open)
// on every other grid, and a grid worker's shift (上岗, 位置, 巡查, 走访, 告警, 下岗 for
// half of them). Every time is `base` minus whole hours, so deadlines (whole hours or
// days after an event) never fall within minutes of `base`; no event lies after `base`.
// Later steps carry no region (a subject counts where it was taken in, DESIGN §6).
import { mulberry32 } from '../../server/domain/seeded-random.ts'
import type { RegionCollection } from '../../server/domain/regions.ts'
import { centreOf, codesAt } from './province-tree.ts'
import { iso } from './events-factory.ts'

export interface TestEvent {
  id: string; feed: 'case' | 'hotline' | 'grid' | 'service'; type: string; subject: string; at: string
  region?: string; location?: [number, number]; category?: string; attrs: Record<string, unknown>
}

const HOUR = 3_600_000
const CASE_CATEGORIES = ['city.sanitation', 'city.facilities', 'city.vendors', 'safety.hazard', 'env.noise', 'dispute.neighbor', 'dispute.labor']
const HOTLINE_CATEGORIES = ['hl.utilities.water', 'hl.urban.roads', 'hl.people.social', 'hl.people.health']
const HOTLINE_KINDS = ['consult', 'help', 'complaint', 'report', 'suggestion']
const SERVICE_ITEMS = ['svc.social.card', 'svc.medical.claim', 'svc.civil.certificate', 'svc.agri.subsidy']
const SATISFACTION = ['satisfied', 'satisfied', 'satisfied', 'basic', 'unsatisfied']

export interface ProvinceEventOptions {
  tree: RegionCollection
  /** The latest event time (ms); every event lies whole hours before it. */
  base: number
  /** Intake times spread over this many days before base (default 40: today, 7 days, the month, the month before). */
  spanDays?: number
  seed?: number
  /** Each grid gets this many rounds of subjects (default 1). */
  rounds?: number
  /** Keeps ids of separate streams apart. */
  idPrefix?: string
  /** Only the grids below these regions (default: every grid). */
  under?: readonly string[]
}

/** The stream, sorted by event time (each subject's steps in order). */
export function provinceEvents(o: ProvinceEventOptions): TestEvent[] {
  const rng = mulberry32(o.seed ?? 12)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!
  const hours = (min: number, max: number) => min + Math.floor(rng() * (max - min + 1))
  const span = (o.spanDays ?? 40) * 24
  const pre = o.idPrefix ?? 'pv'
  const grids = (o.under ?? [undefined]).flatMap((u) => codesAt(o.tree, 'grid', u))
  const out: { t: number; e: TestEvent }[] = []
  /** A subject's steps at offsets (hours from its start), placed so the last one lies at or before base. */
  const lifecycle = (steps: { dh: number; e: Omit<TestEvent, 'at'> }[]) => {
    const last = steps.reduce((s, x) => s + x.dh, 0)
    let t = o.base - hours(last, Math.max(last, span)) * HOUR
    for (const s of steps) {
      t += s.dh * HOUR
      out.push({ t, e: { ...s.e, at: iso(t) } })
    }
  }
  for (let round = 0; round < (o.rounds ?? 1); round++) {
    for (const [gi, grid] of grids.entries()) {
      const tag = `${pre}${round}-${grid}`
      // a case
      const c = `C-${tag}`
      const category = pick(CASE_CATEGORIES)
      const caseEv = (type: string, attrs: Record<string, unknown> = {}) => ({ id: `${c}-${type}-${rng().toString(36).slice(2, 8)}`, feed: 'case' as const, type, subject: c, attrs })
      const fate = rng()
      const steps: { dh: number; e: Omit<TestEvent, 'at'> }[] = [
        { dh: 0, e: { ...caseEv('reported', { source: pick(['grid', 'public', 'inspector']), priority: rng() < 0.15 ? 'urgent' : 'normal' }), region: grid, category } },
      ]
      if (fate < 0.08) steps.push({ dh: 1, e: caseEv('cancelled') })
      else if (fate < 0.16) steps.push({ dh: 1, e: caseEv('closed') }) // 自行处置
      else if (fate >= 0.2) {
        steps.push({ dh: 1, e: caseEv('registered') }, { dh: 1, e: caseEv('dispatched', { department: '城管局' }) })
        if (fate >= 0.3) {
          steps.push({ dh: hours(2, 60), e: caseEv('disposed') })
          if (rng() < 0.15) steps.push({ dh: 2, e: caseEv('rework') }, { dh: hours(2, 20), e: caseEv('disposed') })
          if (fate >= 0.4) steps.push({ dh: 1, e: caseEv('closed', category.startsWith('dispute.') ? { outcome: rng() < 0.9 ? 'success' : 'fail' } : {}) })
        }
        if (fate < 0.4 && rng() < 0.3) steps.push({ dh: 1, e: caseEv('urged') }) // 督办 of a case still open
      } // else: still REPORTED (待立案)
      lifecycle(steps)

      // a 12345 call and work order
      const h = `H-${tag}`
      const hotEv = (type: string, attrs: Record<string, unknown> = {}) => ({ id: `${h}-${type}-${rng().toString(36).slice(2, 8)}`, feed: 'hotline' as const, type, subject: h, attrs })
      const hf = rng()
      const hsteps: { dh: number; e: Omit<TestEvent, 'at'> }[] = [
        { dh: 0, e: { ...hotEv('call', { answered: rng() < 0.93, waitSec: hours(3, 40), talkSec: hours(30, 300) }), subject: `call-${tag}`, region: grid } },
        { dh: 0, e: { ...hotEv('received', { kind: pick(HOTLINE_KINDS), urgency: rng() < 0.1 ? 'urgent' : 'normal', channel: 'phone' }), region: grid, category: pick(HOTLINE_CATEGORIES) } },
      ]
      if (hf < 0.25) hsteps.push({ dh: 0, e: hotEv('directClosed') })
      else if (hf < 0.3) hsteps.push({ dh: 1, e: hotEv('voided') })
      else if (hf >= 0.4) {
        hsteps.push({ dh: 1, e: hotEv('dispatched', { department: '水务局' }) })
        if (hf >= 0.5) hsteps.push({ dh: hours(2, 48), e: hotEv('replied') }, { dh: 1, e: hotEv('closed') })
      }
      if (hf < 0.25 || hf >= 0.5) if (rng() < 0.8) hsteps.push({ dh: hours(1, 24), e: hotEv('rated', { contacted: true, solved: rng() < 0.9, satisfaction: pick(SATISFACTION) }) })
      lifecycle(hsteps)

      // a 代办 errand on every other grid
      if (gi % 2 === 0) {
        const s = `S-${tag}`
        const svcEv = (type: string, attrs: Record<string, unknown> = {}) => ({ id: `${s}-${type}-${rng().toString(36).slice(2, 8)}`, feed: 'service' as const, type, subject: s, attrs })
        const sf = rng()
        const ssteps: { dh: number; e: Omit<TestEvent, 'at'> }[] = [
          { dh: 0, e: { ...svcEv('accepted', { scope: rng() < 0.6 ? 'local' : 'outside', item: pick(SERVICE_ITEMS) }), region: grid } },
        ]
        if (sf >= 0.2) ssteps.push({ dh: 2, e: svcEv('forwarded', { office: '县政务服务中心' }) })
        if (sf >= 0.35) ssteps.push({ dh: hours(4, 120), e: svcEv('completed') }, { dh: hours(1, 24), e: svcEv('delivered') })
        if (sf >= 0.5) ssteps.push({ dh: 2, e: svcEv('rated', { satisfaction: pick(SATISFACTION) }) })
        lifecycle(ssteps)
      }

      // a grid worker's shift
      const w = `W-${tag}`
      const gridEv = (type: string, attrs: Record<string, unknown> = {}) => ({ id: `${w}-${type}-${rng().toString(36).slice(2, 8)}`, feed: 'grid' as const, type, subject: w, region: grid, attrs })
      const wsteps: { dh: number; e: Omit<TestEvent, 'at'> }[] = [
        { dh: 0, e: gridEv('onDuty') },
        { dh: 0, e: { ...gridEv('position'), location: centreOf(o.tree, grid) } },
        { dh: 1, e: gridEv('patrol', { durationMin: hours(20, 90), distanceM: hours(500, 4000) }) },
        { dh: 1, e: gridEv('visit', { households: hours(1, 6), role: rng() < 0.3 ? 'agent' : 'grid' }) },
      ]
      if (rng() < 0.3) wsteps.push({ dh: 1, e: gridEv('alert', { source: 'video', severity: pick(['info', 'warning', 'warning', 'critical']) }) })
      if (gi % 2 === 1) wsteps.push({ dh: 2, e: gridEv('offDuty') })
      lifecycle(wsteps)
    }
  }
  return out.sort((a, b) => a.t - b.t).map((x) => x.e)
}
