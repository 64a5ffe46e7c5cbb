/**
 * 便民服务代办: errands a township service centre takes on for residents
 * (受理), most done in the township within a week, some forwarded to an
 * office outside (转办, a month), now and then waiting for the resident's
 * documents (补正) or withdrawn (撤回); finished (办结), handed over (送达)
 * and followed up (回访). The agents' circuit visits (定) are grid `visit`
 * events with attrs.role `agent`, one agent per village.
 */
import type { SimGrid } from './grid-geometry.ts'
import { dayStamp, formatAt } from '../../domain/shanghai-time.ts'
import { after } from './dispatch.ts'
import { SubjectEvents, type SimContext } from './sim-context.ts'
import { lagOf, worseFor } from './standing.ts'

/** Average events per errand (accepted … rated): turns an event rate into an intake rate. */
export const SERVICE_EVENTS_PER_INTAKE = 3.8

const DAY_MIN = 24 * 60
const OFFICES = ['县人力资源和社会保障局', '县医疗保障局', '县公安局户政大厅', '县残疾人联合会', '县农业农村局', '县不动产登记中心', '县民政局']

/** Whether the run simulates errands at all (config/simulation.json has a service section with items). */
export const simulatesService = (ctx: Pick<SimContext, 'catalog'>) => ctx.catalog.params.service !== undefined && ctx.catalog.serviceItems.size > 0

/** 受理: a new errand at `at` in a grid weighted by population, and its planned lifecycle. */
export function startErrand(ctx: SimContext, at: number, grid: SimGrid = ctx.grids.pick(ctx.rng)): void {
  const p = ctx.catalog.params.service
  if (!p || !simulatesService(ctx) || !ctx.openSubject()) return
  const { rng, catalog } = ctx
  const item = catalog.serviceItems.pick(rng)
  const outside = rng.chance(p.outsideShare)
  const limitMin = catalog.serviceLimitDays(item, outside) * DAY_MIN
  const ev = new SubjectEvents(ctx, 'service', ctx.newSubjectId('DB', dayStamp(at)), grid.code)
  const attrs: Record<string, unknown> = { scope: outside ? 'outside' : 'local', item: item.code }
  if (ctx.compressed) attrs.deadline = formatAt(at + ctx.minutes(limitMin))
  ev.emit('accepted', at, { attrs })

  const withdrawn = rng.chance(p.withdrawnShare)
  const onTime = !rng.chance(worseFor(1 - p.onTimeShare, grid.standing, ctx.catalog.params.standing))
  const share = withdrawn ? rng.between(0.05, 0.5) : onTime ? 0.04 + 0.9 * rng.next() ** p.handlingSkew : rng.between(1.03, 1.5)
  const endAt = at + ctx.minutes(share * limitMin)
  const span = endAt - at
  if (outside) {
    const forwardAt = Math.min(at + ctx.minutes(rng.delay(p.forwardMeanHours * 60, 30)), at + span * 0.5)
    ctx.schedule(forwardAt, (t) => ev.emit('forwarded', t, { attrs: { office: rng.pick(OFFICES) } }))
  }
  let finishAt = endAt
  if (rng.chance(p.returnedShare)) {
    const waitAt = at + span * rng.between(0.55, 0.7)
    const resumeAt = waitAt + (endAt - waitAt) * rng.between(0.3, 0.8)
    ctx.schedule(waitAt, (t) => ev.emit('returnedForDocs', t, { attrs: { missing: '证明材料' } }))
    ctx.schedule(resumeAt, (t) => ev.emit('resumed', t))
    // an item whose clock stops during 补正 gets the wait as extra time: the work planned after it moves as late
    if (item.pausesOnDocs && !withdrawn) finishAt = endAt + (resumeAt - waitAt)
  }
  if (withdrawn) {
    ctx.schedule(endAt, (t) => { ev.emit('withdrawn', t); ctx.closeSubject() })
    return
  }
  ctx.schedule(finishAt, (t) => {
    ev.emit('completed', t)
    const delivered = rng.chance(p.deliveredShare)
    const next = delivered ? after(ctx, t, 12 * 60, 30) : t
    if (delivered) ctx.schedule(next, (t2) => ev.emit('delivered', t2))
    if (!rng.chance(p.ratedShare)) return ctx.closeSubject()
    ctx.schedule(after(ctx, next, 24 * 60, 60), (t3) => {
      const lag = lagOf(grid.standing, ctx.catalog.params.standing)
      const weights = Object.entries(p.satisfaction) as ['satisfied' | 'basic' | 'unsatisfied', number][]
      const satisfaction = rng.weighted(weights.map(([s, w]) => [s, s === 'satisfied' ? w : w * lag] as const))
      ev.emit('rated', t3, { attrs: { contacted: true, solved: satisfaction !== 'unsatisfied', satisfaction } })
      ctx.closeSubject()
    })
  })
}

/** The village of a grid: its code without the last three digits (the region file's 12-digit villages). */
export const villageOf = (grid: SimGrid) => grid.code.slice(0, 12)

/** Service agents, one per village, each with a stable subject and its own event ids. */
export class AgentRoster {
  private readonly byVillage = new Map<string, SimGrid[]>()
  private readonly codes: string[]
  private readonly visits = new Map<string, number>()

  constructor(grids: readonly SimGrid[]) {
    for (const g of grids) this.byVillage.set(villageOf(g), [...(this.byVillage.get(villageOf(g)) ?? []), g])
    this.codes = [...this.byVillage.keys()]
  }

  get villages(): number {
    return this.codes.length
  }

  /** 巡回服务: the village's agent visits a grid of the village at `at` (a grid `visit`, role agent). */
  visit(ctx: SimContext, at: number, village: string = ctx.rng.pick(this.codes)): void {
    const grid = ctx.rng.pick(this.byVillage.get(village) ?? [])
    const n = (this.visits.get(village) ?? 0) + 1
    this.visits.set(village, n)
    new SubjectEvents(ctx, 'grid', `AG${village}`, grid.code, `grid-AG${village}-${ctx.runTag}-${n}`)
      .emit('visit', at, { attrs: { role: 'agent', households: ctx.rng.int(1, 6) } })
  }
}
