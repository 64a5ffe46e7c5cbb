/**
 * 便民服务代办 errands in the apply model: the writes of each service
 * transition, branch for branch as in apply.lua's service block.
 */
import {
  count, luaNumber, luaTruthy, milestone, onTime, required, zadd, zrem,
  type ModelInput, type ModelState, type StepContext, type SubjectState,
} from './apply-model-state.ts'

/** Cohort counters by accepted day, split by scope (s.<milestone>.<local|outside>); the open set by deadline. */
export function applyService(s: ModelState, sub: SubjectState, state: string, input: ModelInput, x: StepContext): void {
  const e = input.event
  const { chain } = sub
  const iday = sub.iday!
  const a = e.attrs
  const open = (op: typeof zrem) => { for (const r of chain) op(s, `o:service:${r}`, e.subject) }
  switch (e.type) {
    case 'accepted':
      Object.assign(sub, {
        category: e.category ?? '', scope: a.scope as string,
        deadline: x.explicitDeadline ?? required(luaNumber(input.intake), 'intake deadline'),
      })
      milestone(sub, 'accepted', e.at)
      count(s, chain, x.day, `s.accepted.${sub.scope}`, 1)
      for (const r of chain) zadd(s, `o:service:${r}`, sub.deadline!, e.subject)
      break
    case 'returnedForDocs':
      sub.prev = state
      break
    case 'completed':
      if (milestone(sub, 'completed', e.at)) {
        count(s, chain, iday, `s.completed.${sub.scope}`, 1)
        if (onTime(sub, e.at)) count(s, chain, iday, `s.completedOnTime.${sub.scope}`, 1)
        count(s, chain, iday, 's.minutes', Math.floor((e.at - (sub.milestones.get('accepted') ?? e.at)) / 60_000))
      }
      open(zrem)
      break
    case 'withdrawn':
      count(s, chain, iday, `s.withdrawn.${sub.scope}`, 1)
      open(zrem)
      break
    case 'rated':
      // as 12345: the latest rating counts
      if (sub.sat !== undefined) count(s, chain, iday, `s.${sub.sat}`, -1)
      else count(s, chain, iday, 's.rated', 1)
      Object.assign(sub, { sat: a.satisfaction as string, solved: luaTruthy(a.solved), contacted: luaTruthy(a.contacted) })
      count(s, chain, iday, `s.${sub.sat}`, 1)
      break
  }
}
