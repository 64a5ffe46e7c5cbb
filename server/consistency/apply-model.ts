/**
 * A pure mirror of server/store/lua/apply.lua: the same decisions and the
 * same writes, on an in-memory ModelState. The consistency check replays a
 * channel's log through it and compares with Redis; tests use it as the
 * executable reading of DESIGN §5/§6. Change it together with apply.lua.
 */
import {
  count, hincrby, luaNumber, luaTruthy, sadd, srem,
  type ModelEntry, type ModelInput, type ModelOutcome, type ModelState, type ModelStatus, type StepContext, type SubjectState,
} from './apply-model-state.ts'
import { applySubjectEvent, dropParked, insertByTime } from './apply-model-subjects.ts'
import { bucketOfDay, dayKey } from '../domain/clock.ts'
import { COUNTER as C } from '../domain/counters.ts'
import { regionKeys as K } from '../store/keys.ts'

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
  const explicit = typeof e.attrs.deadline === 'string' ? luaNumber(String(Date.parse(e.attrs.deadline))) : null
  const x: StepContext = { day, bucket: String(bucketOfDay(e.at, zone)), explicitDeadline: explicit }
  if (e.feed === 'grid') return applyGrid(s, input, x)
  if (e.feed === 'hotline' && e.type === 'call') {
    // no subject state: flow counts by call day (placeless calls got the root chain in prepare)
    count(s, input.chain, day, C.calls, 1)
    if (luaTruthy(e.attrs.answered)) count(s, input.chain, day, C.callsAnswered, 1)
    return { status: 'applied', region: input.chain[0] ?? '', category: '' }
  }
  return applySubjectEvent(s, input, x)
}

/** park-sweep.lua's refusal of a parked event (a log entry a=0): true when the model had it parked. */
export function refuseParked(s: ModelState, e: { feed: string; subject: string; id: string }): boolean {
  return dropParked(s, e.feed, e.subject, e.id)
}

// grid workers: the latest onDuty/offDuty by event time decides the duty state; flows count at the event's place
function applyGrid(s: ModelState, input: ModelInput, x: StepContext): ModelOutcome {
  const { event: e, chain } = input
  let region = chain[0] ?? ''
  const key = `grid:${e.subject}`
  const found = s.subjects.get(key)
  const worker: SubjectState = found ?? { state: '', chain: [], milestones: new Map() }
  switch (e.type) {
    case 'onDuty':
    case 'offDuty': {
      if (worker.state !== '' && worker.firstOn === undefined) worker.firstOn = 0
      const duty = (type: string, t: number, dutyChain: readonly string[]) => {
        if (worker.dutyAt !== undefined && t < worker.dutyAt) return
        if (worker.state === 'ON') for (const r of worker.chain) srem(s, K.onDuty(r), e.subject)
        if (type === 'onDuty') {
          worker.state = 'ON'
          worker.chain = [...dutyChain]
          for (const r of worker.chain) sadd(s, K.onDuty(r), e.subject)
        } else worker.state = 'OFF'
        worker.dutyAt = t
      }
      const parked = s.lists.get(key) ?? []
      let status: ModelStatus = 'applied'
      const unparked: string[] = []
      if (e.type === 'onDuty') {
        if (worker.firstOn === undefined || e.at < worker.firstOn) worker.firstOn = e.at
        duty('onDuty', e.at, chain)
        // offDuty events parked for want of an earlier onDuty take effect now, in time order
        const still = parked.filter((p) => {
          if (p.t < worker.firstOn!) return true
          duty('offDuty', p.t, [])
          unparked.push(p.id)
          return false
        })
        parked.splice(0, parked.length, ...still)
      } else if (worker.firstOn !== undefined && e.at >= worker.firstOn) {
        duty('offDuty', e.at, [])
        region = worker.chain[0] ?? region
      } else {
        const entry: ModelEntry = {
          id: e.id, t: e.at, event: e, chain: chain.join(','), day: x.day, bucket: x.bucket, intake: input.intake, explicit: null, parked: true,
        }
        insertByTime(parked, entry)
        hincrby(s, 'stats', 'outOfOrder', 1)
        status = 'outOfOrder'
      }
      if (parked.length > 0) s.lists.set(key, parked)
      else s.lists.delete(key)
      if (worker.state !== '' || found) s.subjects.set(key, worker)
      return { status, region, category: '', ...(unparked.length > 0 ? { unparked } : {}) }
    }
    case 'position':
      // the latest position by event time is where the worker is
      if (worker.posAt === undefined || e.at >= worker.posAt) {
        if (e.location) s.positions.set(e.subject, [e.location[0], e.location[1]])
        worker.posAt = e.at
        s.subjects.set(key, worker)
      }
      break
    case 'patrol':
      count(s, chain, x.day, C.patrols, 1)
      if (input.grid !== '') {
        for (const r of chain) for (const period of [x.day, x.day.slice(0, 6), x.day.slice(0, 4)]) sadd(s, K.patrolled(r, period), input.grid)
      }
      break
    case 'visit':
      count(s, chain, x.day, C.visits, 1)
      count(s, chain, x.day, C.households, luaNumber(e.attrs.households) ?? 0)
      if (e.attrs.role === 'agent') count(s, chain, x.day, C.agentVisits, 1)
      break
    case 'alert':
      count(s, chain, x.day, C.alerts, 1)
      if (e.attrs.severity === 'critical') count(s, chain, x.day, C.alertsCritical, 1)
      break
  }
  return { status: 'applied', region, category: '' }
}
