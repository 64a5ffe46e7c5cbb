/**
 * 便民服务代办 errands in the apply model: one step of an errand's derivation,
 * branch for branch as in apply.lua's service block of derive().
 */
import { luaNumber, luaTruthy, type ModelEntry, type SubjectState } from './apply-model-state.ts'

/** What a step of a derivation may touch: the subject so far, its counters (up its chain) and first-time milestones. */
export interface DeriveContext {
  sub: SubjectState
  cnt(day: string, field: string, n: number): void
  milestone(name: string, t: number): boolean
}

/**
 * Cohort counters by accepted day, split by scope (s.<milestone>.<local|outside>).
 * Errands feed neither the intake trend nor the category breakdown; the open set
 * (by deadline) and the rating (counted once, at the end) are the derivation's.
 */
export function serviceStep({ sub, cnt, milestone }: DeriveContext, en: ModelEntry, onTime: boolean): void {
  const e = en.event
  const a = e.attrs
  const when = en.t
  switch (e.type) {
    case 'accepted':
      sub.chain = en.chain.split(',').filter(Boolean)
      Object.assign(sub, { iday: en.day, category: e.category, scope: a.scope as string })
      sub.deadline = en.explicit ?? luaNumber(en.intake) ?? undefined
      milestone('accepted', when)
      cnt(en.day, `s.accepted.${sub.scope}`, 1)
      break
    case 'returnedForDocs':
      // the clock keeps running (no item pauses it); resumed goes back to this state
      sub.prev = sub.state
      break
    case 'completed':
      if (milestone('completed', when)) {
        cnt(sub.iday!, `s.completed.${sub.scope}`, 1)
        if (onTime) cnt(sub.iday!, `s.completedOnTime.${sub.scope}`, 1)
        cnt(sub.iday!, 's.minutes', Math.floor((when - (sub.milestones.get('accepted') ?? when)) / 60_000))
      }
      break
    case 'withdrawn':
      cnt(sub.iday!, `s.withdrawn.${sub.scope}`, 1)
      break
    case 'rated':
      Object.assign(sub, { sat: a.satisfaction as string, solved: luaTruthy(a.solved), contacted: luaTruthy(a.contacted) })
      break
  }
}
