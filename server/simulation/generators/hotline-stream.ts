/**
 * 12345 hotline: calls (进线) and work orders (工单). Most answered calls
 * become a work order; web and WeChat orders arrive without a call. An order
 * is closed directly (mostly consultations) or dispatched → replied → closed,
 * then usually followed up (回访) with a satisfaction rating.
 */
import type { HotlineKind } from '../sim-params.ts'
import { randomPointIn, type SimGrid } from './grid-geometry.ts'
import { dayStamp, formatAt } from '../../domain/shanghai-time.ts'
import { after, dispatchOrBounce, type ReturnDelays } from './dispatch.ts'
import { SubjectEvents, type SimContext } from './sim-context.ts'
import { lagOf, worseFor } from './standing.ts'

/** Average events per hotline arrival (call or online order): turns an event rate into an intake rate. */
export const HOTLINE_EVENTS_PER_INTAKE = 3.9

const DEPARTMENTS: Record<string, string[]> = {
  'hl.utilities': ['供水公司', '供电公司', '燃气公司', '热力公司'],
  'hl.urban': ['住房和城乡建设局', '交通运输局', '生态环境局', '城市管理综合执法局'],
  'hl.people': ['人力资源和社会保障局', '卫生健康委员会', '教育局', '市场监督管理局', '农业农村局'],
}
const TOWNSHIP_OFFICE = ['乡镇人民政府（街道办事处）']

interface Order { ev: SubjectEvents; grid: SimGrid; category: string; slaMin: number; receivedAt: number; deadline: number; reopened: boolean }

/** What a scenario may fix about a new work order; the rest is drawn from the configured mix. */
export interface HotlineIntake { grid?: SimGrid; category?: string; kind?: HotlineKind; urgentShare?: number }

/** Work orders per arrival (online orders plus answered calls that become one): turns an order rate into an arrival rate. */
export function ordersPerArrival(ctx: Pick<SimContext, 'catalog'>): number {
  const h = ctx.catalog.params.hotline
  return h.onlineShare + (1 - h.onlineShare) * h.answerRate * h.callToOrder
}

/** One hotline arrival at `at`: a phone call (maybe leading to an order) or an online order. */
export function startHotline(ctx: SimContext, at: number, o: HotlineIntake = {}): void {
  const { rng } = ctx
  const p = ctx.catalog.params.hotline
  const grid = o.grid ?? ctx.grids.pick(rng)
  if (rng.chance(p.onlineShare)) {
    if (ctx.openSubject()) receive(ctx, at, grid, rng.chance(0.5) ? '网站' : '微信', o)
    return
  }
  const answered = rng.chance(p.answerRate)
  const waitSec = Math.round(answered ? rng.delay(15, 2, 120) : rng.delay(45, 5, 300))
  const talkSec = answered ? Math.round(rng.delay(200, 30, 1200)) : 0
  new SubjectEvents(ctx, 'hotline', ctx.newSubjectId('CL', dayStamp(at)), grid.code).emit('call', at, { attrs: { answered, waitSec, talkSec } })
  // The order's room is reserved at the call, so pending orders count against the cap too.
  if (answered && rng.chance(p.callToOrder) && ctx.openSubject()) ctx.schedule(at + ctx.minutes((waitSec + talkSec) / 60), (t) => receive(ctx, t, grid, '电话', o))
}

/** 受理: a new work order; the caller has already reserved its room with openSubject(). */
function receive(ctx: SimContext, at: number, grid: SimGrid, channel: string, o: HotlineIntake): void {
  const { rng, catalog } = ctx
  const p = catalog.params.hotline
  const kind = o.kind ?? rng.weighted(catalog.kinds)
  const urgent = rng.chance(o.urgentShare ?? p.urgentShare)
  const slaMin = catalog.hotlineSlaHours(kind, urgent) * 60
  const order: Order = {
    ev: new SubjectEvents(ctx, 'hotline', ctx.newSubjectId('HL', dayStamp(at)), grid.code), grid,
    category: o.category ?? catalog.hotlineCategories.pick(rng), slaMin, receivedAt: at, deadline: at + ctx.minutes(slaMin), reopened: false,
  }
  const phone = `1${rng.int(3, 9)}${rng.int(0, 9)}****${String(rng.int(0, 9999)).padStart(4, '0')}`
  const attrs: Record<string, unknown> = { kind, channel, urgency: urgent ? 'urgent' : 'normal', phone }
  if (ctx.compressed) attrs.deadline = formatAt(order.deadline)
  order.ev.emit('received', at, { location: randomPointIn(rng, grid), category: order.category, attrs })
  const r = rng.next()
  if (r < 0.01) ctx.schedule(after(ctx, at, 30, 5), (t) => { order.ev.emit('voided', t); ctx.closeSubject() })
  else if (r < 0.01 + (p.directClose[kind] ?? 0.05)) {
    ctx.schedule(after(ctx, at, 8, 1), (t) => { order.ev.emit('directClosed', t); followUp(ctx, order, t, (2 / 3) * p.ratedShare) })
  } else ctx.schedule(after(ctx, at, p.dispatchMeanMin, 3), (t) => dispatch(ctx, order, t, 1))
}

function dispatch(ctx: SimContext, o: Order, t: number, attempt: number): void {
  const { rng } = ctx
  const group = o.category.split('.').slice(0, 2).join('.')
  const department = rng.pick(DEPARTMENTS[group] ?? TOWNSHIP_OFFICE)
  const delays = { back: [60, 10], again: [15, 2] } as const satisfies ReturnDelays
  if (dispatchOrBounce(ctx, o.ev, t, attempt, department, delays, (t2) => dispatch(ctx, o, t2, 2))) return
  planReply(ctx, o, t)
}

/** From DISPATCHED: 答复 by a share of the SLA (98 % on time), maybe 催办 / 延期 on the way, then 办结. */
function planReply(ctx: SimContext, o: Order, t: number): void {
  const { rng } = ctx
  const { params } = ctx.catalog
  const onTime = !rng.chance(worseFor(1 - params.hotline.onTimeShare, o.grid.standing, params.standing))
  const share = o.reopened ? 0.2 : onTime ? 0.05 + 0.75 * rng.next() ** params.hotline.handlingSkew : rng.between(1.02, 1.4)
  const replyAt = Math.max(after(ctx, t, 30, 5), o.receivedAt + ctx.minutes(share * o.slaMin))
  if (rng.chance(onTime ? 0.04 : 0.6)) ctx.schedule(t + (replyAt - t) * 0.5, (t2) => o.ev.emit('urged', t2))
  if (!onTime && rng.chance(0.3)) {
    ctx.schedule(t + (replyAt - t) * 0.7, (t2) => {
      o.deadline += ctx.minutes(0.5 * o.slaMin)
      o.ev.emit('extended', t2, { attrs: { deadline: formatAt(o.deadline) } })
    })
  }
  ctx.schedule(replyAt, (t2) => {
    o.ev.emit('replied', t2)
    ctx.schedule(after(ctx, t2, Math.min(120, 0.08 * o.slaMin), 5), (t3) => {
      o.ev.emit('closed', t3)
      followUp(ctx, o, t3, o.reopened ? 0 : ctx.catalog.params.hotline.ratedShare)
    })
  })
}

/** 回访: a satisfaction survey with probability p; an unhappy caller sometimes gets the order reopened. */
function followUp(ctx: SimContext, o: Order, t: number, p: number): void {
  const { rng } = ctx
  if (!rng.chance(p)) return ctx.closeSubject()
  ctx.schedule(after(ctx, t, 12 * 60, 30), (t2) => {
    const lag = lagOf(o.grid.standing, ctx.catalog.params.standing)
    const satisfaction = rng.weighted(ctx.catalog.satisfaction.map(([s, w]) => [s, s === 'satisfied' ? w : w * lag] as const))
    const solved = rng.chance(satisfaction === 'satisfied' ? 0.96 : satisfaction === 'basic' ? 0.7 : 0.2)
    o.ev.emit('rated', t2, { attrs: { contacted: rng.chance(0.98), solved, satisfaction } })
    if (satisfaction !== 'unsatisfied' || !rng.chance(0.4)) return ctx.closeSubject()
    o.reopened = true
    ctx.schedule(after(ctx, t2, 60, 10), (t3) => {
      o.ev.emit('reopened', t3)
      planReply(ctx, o, t3)
    })
  })
}
