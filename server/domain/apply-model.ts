/**
 * A pure mirror of server/store/scripts/apply.lua: the same decisions and the
 * same writes, on an in-memory ModelState. The consistency check replays a
 * channel's log through it and compares with Redis; tests use it as the
 * executable reading of DESIGN §5/§6. Change it together with apply.lua.
 */
import {
  count, hincrby, luaNumber, luaTruthy, sadd, srem,
  type ModelInput, type ModelOutcome, type ModelState, type ModelStatus, type StepContext,
} from './apply-model-state.ts'
import { applySubjectEvent } from './apply-model-subjects.ts'
import { bucketOfDay, dayKey } from './clock.ts'

export * from './apply-model-state.ts'
export { kpisFromModel, subjectHash } from './apply-model-read.ts'

/** Apply one event to the model; returns what apply.lua returns as status. */
export function applyModel(state: ModelState, input: ModelInput, zone: string): ModelStatus {
  return applyModelEntry(state, input, zone).status
}

/** Apply one event and also say which region (r) and category (c) its log entry carries. */
export function applyModelEntry(s: ModelState, input: ModelInput, zone: string): ModelOutcome {
  const e = input.event
  if (s.seen.has(e.id)) return { status: 'duplicate', region: '', category: '' }
  s.seen.add(e.id)
  const day = dayKey(e.at, zone)
  const bucket = String(bucketOfDay(e.at, zone))
  const explicit = typeof e.attrs.deadline === 'string' ? luaNumber(String(Date.parse(e.attrs.deadline))) : null
  const x: StepContext = {
    day,
    explicitDeadline: explicit,
    refuse(region, category) {
      hincrby(s, 'stats', 'outOfOrder', 1)
      return { status: 'outOfOrder', region, category }
    },
    intakeMarks(chain, category) {
      for (const r of chain) {
        hincrby(s, `t:${r}:${day}`, bucket, 1)
        hincrby(s, `k:${r}:${day}`, category, 1)
      }
    },
  }
  if (e.feed === 'grid') return applyGrid(s, input, x)
  if (e.feed === 'hotline' && e.type === 'call') {
    // no subject state: flow counts by call day (placeless calls got the root chain in prepare)
    count(s, input.chain, day, 'hf.calls', 1)
    if (luaTruthy(e.attrs.answered)) count(s, input.chain, day, 'hf.answered', 1)
    return { status: 'applied', region: input.chain[0] ?? '', category: '' }
  }
  return applySubjectEvent(s, input, x)
}

// grid workers: duty sets and flow counters in the region of the event
function applyGrid(s: ModelState, input: ModelInput, x: StepContext): ModelOutcome {
  const { event: e, chain } = input
  let region = chain[0] ?? ''
  const key = `grid:${e.subject}`
  const worker = s.subjects.get(key)
  const on = worker?.state === 'ON'
  switch (e.type) {
    case 'onDuty':
      // on duty again elsewhere: the worker moves to the new place
      if (on) for (const r of worker.chain) srem(s, `w:${r}`, e.subject)
      s.subjects.set(key, { ...(worker ?? { milestones: new Map() }), state: 'ON', chain: [...chain] })
      for (const r of chain) sadd(s, `w:${r}`, e.subject)
      break
    case 'offDuty':
      if (!on) return x.refuse(region, '')
      region = worker.chain[0] ?? ''
      for (const r of worker.chain) srem(s, `w:${r}`, e.subject)
      worker.state = 'OFF'
      break
    case 'position':
      if (!on) return x.refuse(region, '')
      if (e.location) s.positions.set(e.subject, [e.location[0], e.location[1]])
      break
    case 'patrol':
      count(s, chain, x.day, 'gf.patrols', 1)
      if (input.grid !== '') {
        for (const r of chain) for (const period of [x.day, x.day.slice(0, 6), x.day.slice(0, 4)]) sadd(s, `pc:${r}:${period}`, input.grid)
      }
      break
    case 'visit':
      count(s, chain, x.day, 'gf.visits', 1)
      count(s, chain, x.day, 'gf.households', luaNumber(e.attrs.households) ?? 0)
      if (e.attrs.role === 'agent') count(s, chain, x.day, 'gf.agentVisits', 1)
      break
    case 'alert':
      count(s, chain, x.day, 'gf.alerts', 1)
      if (e.attrs.severity === 'critical') count(s, chain, x.day, 'gf.alertsCritical', 1)
      break
  }
  return { status: 'applied', region, category: '' }
}
