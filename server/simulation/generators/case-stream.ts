/**
 * 数字城管 / 网格事件 cases (DESIGN §5): a report at a point inside a grid,
 * then 立案 → 派遣 → 处置 → 结案, with the odd 作废, 自行处置, 回退, 返工,
 * 督办 and 延期. Handling times are drawn against the category SLA so that
 * about 97 % of cases are disposed by their deadline, as in the seed figures.
 */
import type { CaseCategory } from './catalog.ts'
import { randomPointIn, type SimGrid } from './grid-geometry.ts'
import { formatAt, dayStamp } from '../../domain/shanghai-time.ts'
import { after, dispatchOrBounce, type ReturnDelays } from './dispatch.ts'
import { SubjectEvents, type SimContext } from './sim-context.ts'
import { worseFor } from './standing.ts'

/** Average events per reported case: turns an event rate into an intake rate. */
export const CASE_EVENTS_PER_INTAKE = 4.9

const SOURCES = [['grid', 40], ['inspector', 22], ['public', 14], ['hotline', 10], ['video', 9], ['iot', 5]] as const
const DEPARTMENTS: Record<string, string[]> = {
  city: ['城市管理综合执法局', '住房和城乡建设局', '市政公用事业服务中心', '园林绿化管理所'],
  safety: ['应急管理局', '消防救援大队'],
  env: ['生态环境局', '城市管理综合执法局'],
  dispute: ['司法所', '人民调解委员会', '综治中心'],
}
const TOWNSHIP_OFFICE = ['乡镇（街道）综治中心']

interface Case {
  ev: SubjectEvents
  grid: SimGrid
  category: CaseCategory
  slaMin: number
  registeredAt: number
  deadline: number
}

/** What a scenario may fix about a new case; the rest is drawn from the configured mix. */
export interface CaseIntake { grid?: SimGrid; category?: CaseCategory; urgentShare?: number }

/** A new case reported at `at`, with its whole lifecycle scheduled step by step. */
export function startCase(ctx: SimContext, at: number, o: CaseIntake = {}): void {
  if (!ctx.openSubject()) return
  const { rng } = ctx
  const grid = o.grid ?? ctx.grids.pick(rng)
  const category = o.category ?? ctx.catalog.caseCategories.pick(rng)
  const urgent = rng.chance(o.urgentShare ?? ctx.catalog.params.case.urgentShare)
  const ev = new SubjectEvents(ctx, 'case', ctx.newSubjectId('AJ', dayStamp(at)), grid.code)
  ev.emit('reported', at, {
    location: randomPointIn(rng, grid),
    category: category.code,
    attrs: { source: rng.weighted(SOURCES), priority: urgent ? 'urgent' : 'normal' },
  })
  const c: Case = { ev, grid, category, slaMin: (urgent ? category.sla.urgent : category.sla.normal) * 60, registeredAt: 0, deadline: 0 }
  const r = rng.next()
  if (r < 0.04) ctx.schedule(after(ctx, at, 40, 5), (t) => finish(ctx, c, t, 'cancelled'))
  else if (r < 0.09) ctx.schedule(after(ctx, at, 30, 3), (t) => finish(ctx, c, t, 'closed'))
  else {
    const mean = ctx.catalog.params.case.registerMeanMin
    ctx.schedule(after(ctx, at, urgent ? mean / 3 : mean, 2), (t) => register(ctx, c, t))
  }
}

function register(ctx: SimContext, c: Case, t: number): void {
  c.registeredAt = t
  c.deadline = t + ctx.minutes(c.slaMin)
  // Compressed time: send the compressed deadline, or nothing would ever be overdue in a demo.
  c.ev.emit('registered', t, { attrs: ctx.compressed ? { deadline: formatAt(c.deadline) } : {} })
  ctx.schedule(after(ctx, t, ctx.catalog.params.case.dispatchMeanMin, 2), (t2) => dispatch(ctx, c, t2, 1))
}

function dispatch(ctx: SimContext, c: Case, t: number, attempt: number): void {
  const { rng } = ctx
  const group = c.category.code.split('.')[0] ?? ''
  const department = rng.pick(DEPARTMENTS[group] ?? TOWNSHIP_OFFICE)
  const delays = { back: [30, 5], again: [10, 2] } as const satisfies ReturnDelays
  if (dispatchOrBounce(ctx, c.ev, t, attempt, department, delays, (t2) => dispatch(ctx, c, t2, 2))) return
  const { params } = ctx.catalog
  const onTime = !rng.chance(worseFor(1 - params.case.onTimeShare, c.grid.standing, params.standing))
  const share = onTime ? 0.08 + 0.84 * rng.next() ** params.case.handlingSkew : rng.between(1.03, 1.5)
  const disposeAt = Math.max(after(ctx, t, 20, 5), c.registeredAt + ctx.minutes(share * c.slaMin))
  if (rng.chance(onTime ? 0.04 : 0.5)) ctx.schedule(t + (disposeAt - t) * 0.5, (t2) => c.ev.emit('urged', t2))
  if (!onTime && rng.chance(0.4)) {
    const extendAt = Math.min(disposeAt, Math.max(t, c.registeredAt + ctx.minutes(0.85 * c.slaMin)))
    ctx.schedule(extendAt, (t2) => {
      c.deadline += ctx.minutes(0.5 * c.slaMin)
      c.ev.emit('extended', t2, { attrs: { deadline: formatAt(c.deadline) } })
    })
  }
  ctx.schedule(disposeAt, (t2) => dispose(ctx, c, t2, 1))
}

function dispose(ctx: SimContext, c: Case, t: number, round: number): void {
  c.ev.emit('disposed', t)
  if (round === 1 && ctx.rng.chance(0.03)) {
    ctx.schedule(after(ctx, t, 60, 10), (t2) => {
      c.ev.emit('rework', t2)
      ctx.schedule(after(ctx, t2, Math.min(600, 0.1 * c.slaMin), 10), (t3) => dispose(ctx, c, t3, 2))
    })
    return
  }
  ctx.schedule(after(ctx, t, Math.min(90, 0.05 * c.slaMin), 5), (t2) => finish(ctx, c, t2, 'closed'))
}

function finish(ctx: SimContext, c: Case, t: number, type: 'closed' | 'cancelled'): void {
  const dispute = c.category.code.startsWith('dispute.')
  const attrs = type === 'closed' && dispute ? { outcome: ctx.rng.chance(0.97) ? 'success' : 'fail' } : {}
  c.ev.emit(type, t, { attrs })
  ctx.closeSubject()
}
