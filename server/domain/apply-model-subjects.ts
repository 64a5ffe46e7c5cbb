/**
 * Case, hotline and service subjects in the apply model: the lifecycle check
 * and the writes of each transition, branch for branch as in apply.lua.
 */
import {
  count, luaNumber, luaTruthy, milestone, onTime, required, sadd, srem, zadd, zrem,
  type ModelInput, type ModelOutcome, type ModelState, type StepContext, type SubjectState,
} from './apply-model-state.ts'
import { lifecycleOf } from './lifecycles.ts'
import { applyService } from './apply-model-service.ts'

const HOUR = 3_600_000

/** Apply a case, hotline (non-call) or service event to its subject; refuses it when the lifecycle does not allow it. */
export function applySubjectEvent(s: ModelState, input: ModelInput, x: StepContext): ModelOutcome {
  const e = input.event
  const feed = e.feed
  const table = lifecycleOf(feed)!
  const key = `${feed}:${e.subject}`
  const found = s.subjects.get(key)
  const state = found?.state ?? ''
  const t = Object.hasOwn(table, e.type) ? table[e.type] : undefined
  if (!t || !t.from.includes(state)) {
    return x.refuse(found ? (found.chain[0] ?? '') : (input.chain[0] ?? ''), found?.category ?? '')
  }
  const to = t.to === '=' ? state : t.to === '<' ? required(found?.prev ?? null, 'prev') : t.to
  // only intake is allowed from '' (no subject): it creates the hash
  const sub: SubjectState = found ?? { state: '', chain: [...input.chain], iday: x.day, milestones: new Map() }
  if (!found) s.subjects.set(key, sub)
  if (feed === 'case') applyCase(s, sub, state, input, x)
  else if (feed === 'hotline') applyHotline(s, sub, state, input, x)
  else applyService(s, sub, state, input, x)
  sub.state = to
  return { status: 'applied', region: sub.chain[0] ?? '', category: sub.category ?? '' }
}

function applyCase(s: ModelState, sub: SubjectState, state: string, input: ModelInput, x: StepContext): void {
  const e = input.event
  const { chain } = sub
  const iday = sub.iday!
  const dispute = (sub.category ?? e.category ?? '').startsWith('dispute.')
  const each = (op: typeof sadd, prefix: string) => { for (const r of chain) op(s, prefix + r, e.subject) }
  switch (e.type) {
    case 'reported':
      Object.assign(sub, { category: e.category ?? '', sla: input.intake, priority: (e.attrs.priority as string | undefined) ?? 'normal' })
      count(s, chain, x.day, 'c.reported', 1)
      x.intakeMarks(chain, e.category ?? '')
      each(sadd, 'p:')
      break
    case 'registered': {
      const deadline = x.explicitDeadline ?? e.at + required(luaNumber(sub.sla), 'sla') * HOUR
      sub.cday = x.day
      sub.deadline = deadline
      count(s, chain, iday, 'c.reportedRegistered', 1)
      count(s, chain, x.day, 'c.registered', 1)
      each(srem, 'p:')
      for (const r of chain) zadd(s, `o:case:${r}`, deadline, e.subject)
      break
    }
    case 'cancelled':
      each(srem, 'p:')
      break
    case 'extended':
      sub.deadline = required(x.explicitDeadline, 'attrs.deadline')
      for (const r of chain) zadd(s, `o:case:${r}`, sub.deadline, e.subject)
      break
    case 'disposed':
      if (milestone(sub, 'disposed', e.at)) {
        count(s, chain, sub.cday!, 'c.disposed', 1)
        if (onTime(sub, e.at)) count(s, chain, sub.cday!, 'c.disposedOnTime', 1)
      }
      break
    case 'rework':
      if (milestone(sub, 'reworked', e.at)) count(s, chain, sub.cday!, 'c.reworked', 1)
      break
    case 'closed': {
      count(s, chain, x.day, 'cf.closed', 1)
      if (state === 'REPORTED') {
        count(s, chain, iday, 'c.selfClosed', 1)
        each(srem, 'p:')
      } else {
        count(s, chain, sub.cday!, 'c.closedRegistered', 1)
        if (onTime(sub, e.at)) count(s, chain, sub.cday!, 'c.closedOnTime', 1)
        each(zrem, 'o:case:')
      }
      if (dispute) {
        // self-closed disputes were never registered: they count in their reporting day
        const cohort = sub.cday ?? iday
        count(s, chain, cohort, 'c.disputeClosed', 1)
        if (e.attrs.outcome === 'success') count(s, chain, cohort, 'c.disputeSuccess', 1)
      }
      break
    }
    case 'urged':
      count(s, chain, x.day, 'cf.urged', 1)
      break
  }
}

function applyHotline(s: ModelState, sub: SubjectState, state: string, input: ModelInput, x: StepContext): void {
  const e = input.event
  const { chain } = sub
  const iday = sub.iday!
  const a = e.attrs
  switch (e.type) {
    case 'received':
      sub.deadline = x.explicitDeadline ?? required(luaNumber(input.intake), 'intake deadline')
      Object.assign(sub, { category: e.category ?? '', kind: a.kind as string })
      count(s, chain, x.day, 'h.received', 1)
      count(s, chain, x.day, `hk.${a.kind as string}`, 1)
      x.intakeMarks(chain, e.category ?? '')
      for (const r of chain) zadd(s, `o:hotline:${r}`, sub.deadline, e.subject)
      break
    case 'extended':
      sub.deadline = required(x.explicitDeadline, 'attrs.deadline')
      for (const r of chain) zadd(s, `o:hotline:${r}`, sub.deadline, e.subject)
      break
    case 'directClosed':
    case 'closed':
      count(s, chain, x.day, 'hf.closed', 1)
      if (milestone(sub, 'closed', e.at)) {
        count(s, chain, iday, 'h.closed', 1)
        if (e.type === 'directClosed') count(s, chain, iday, 'h.directClosed', 1)
        if (onTime(sub, e.at)) count(s, chain, iday, 'h.closedOnTime', 1)
      }
      for (const r of chain) zrem(s, `o:hotline:${r}`, e.subject)
      break
    case 'reopened':
      if (state === 'CLOSED') for (const r of chain) zadd(s, `o:hotline:${r}`, required(sub.deadline ?? null, 'deadline'), e.subject)
      break
    case 'urged':
      count(s, chain, x.day, 'hf.urged', 1)
      break
    case 'voided':
      count(s, chain, iday, 'h.voided', 1)
      for (const r of chain) zrem(s, `o:hotline:${r}`, e.subject)
      break
    case 'rated': {
      // a subject's satisfaction is its latest rating: replace the previous one
      if (sub.sat !== undefined) {
        count(s, chain, iday, `h.${sub.sat}`, -1)
        if (sub.solved) count(s, chain, iday, 'h.solved', -1)
        if (sub.contacted) count(s, chain, iday, 'h.contacted', -1)
      } else {
        count(s, chain, iday, 'h.rated', 1)
      }
      Object.assign(sub, { sat: a.satisfaction as string, solved: luaTruthy(a.solved), contacted: luaTruthy(a.contacted) })
      count(s, chain, iday, `h.${sub.sat}`, 1)
      if (sub.solved) count(s, chain, iday, 'h.solved', 1)
      if (sub.contacted) count(s, chain, iday, 'h.contacted', 1)
      break
    }
  }
}

