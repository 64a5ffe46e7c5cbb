/**
 * 便民服务代办 errands in the apply model: one step of an errand's derivation,
 * branch for branch as in apply.lua's service block of derive().
 */
import { COUNTER, SERVICE_COUNTER, SERVICE_SCOPES, type ServiceScope } from '../domain/counters.ts'
import { luaNumber, luaTruthy, type ModelEntry, type SubjectState } from './apply-model-state.ts'

// ingest admits only these scopes (events.ts); apply.lua indexes its SC table the same way
const scopeOf = (sub: SubjectState): ServiceScope => {
  const s = SERVICE_SCOPES.find((x) => x === sub.scope)
  if (s === undefined) throw new Error(`errand scope ${String(sub.scope)} is not one of ${SERVICE_SCOPES.join(', ')}`)
  return s
}

/** What a step of a derivation may touch: the subject so far, its counters (up its chain) and first-time milestones. */
export interface DeriveContext {
  sub: SubjectState
  cnt(day: string, field: string, n: number): void
  milestone(name: string, t: number): boolean
  /** Service: whether the errand's item stops its clock during 补正 (set by its accepted step). */
  errand: { pauses: boolean }
}

/**
 * The open-set score of an errand whose clock stands still (补正 of an item that pauses): never due,
 * yet still 在办. The latest instant a JS Date holds (apply.lua's CLOCK_STOPPED).
 */
export const CLOCK_STOPPED = 8_640_000_000_000_000

/**
 * Cohort counters by accepted day, split by scope (s.<milestone>.<local|outside>).
 * Errands feed neither the intake trend nor the category breakdown; the open set
 * (by deadline) and the rating (counted once, at the end) are the derivation's.
 */
export function serviceStep({ sub, cnt, milestone, errand }: DeriveContext, en: ModelEntry, judged: boolean, to: string): void {
  const e = en.event
  const a = e.attrs
  const when = en.t
  let onTime = judged
  // a stopped clock starts again when the errand leaves WAITING (resumed, completed, withdrawn): the
  // deadline moves later by the event time waited, before this step is judged against it
  if (sub.paused !== undefined && to !== '=') {
    sub.deadline = sub.deadline! + (when - sub.paused)
    sub.paused = undefined
    onTime = when <= sub.deadline
  }
  switch (e.type) {
    case 'accepted':
      sub.chain = en.chain.split(',').filter(Boolean)
      Object.assign(sub, { iday: en.day, category: e.category, scope: a.scope as string })
      sub.deadline = en.explicit ?? luaNumber(en.intake) ?? undefined
      errand.pauses = en.pauses === true
      milestone('accepted', when)
      cnt(en.day, SERVICE_COUNTER[scopeOf(sub)].accepted, 1)
      break
    case 'returnedForDocs':
      // the clock keeps running unless the item pauses it: then it stands still from here; resumed goes back to this state
      sub.prev = sub.state
      if (errand.pauses) sub.paused = when
      break
    case 'completed':
      if (milestone('completed', when)) {
        cnt(sub.iday!, SERVICE_COUNTER[scopeOf(sub)].completed, 1)
        if (onTime) cnt(sub.iday!, SERVICE_COUNTER[scopeOf(sub)].completedOnTime, 1)
        cnt(sub.iday!, COUNTER.serviceMinutes, Math.floor((when - (sub.milestones.get('accepted') ?? when)) / 60_000))
      }
      break
    case 'withdrawn':
      cnt(sub.iday!, SERVICE_COUNTER[scopeOf(sub)].withdrawn, 1)
      break
    case 'rated':
      Object.assign(sub, { sat: a.satisfaction as string, solved: luaTruthy(a.solved), contacted: luaTruthy(a.contacted) })
      break
  }
}
