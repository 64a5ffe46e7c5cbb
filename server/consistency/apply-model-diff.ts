/**
 * Differences between the apply model's recount and what a store holds, key
 * by key and field by field, in a stable order.
 */
import type { Aggregates, SubjectState } from './apply-model-state.ts'
import { subjectHash } from './apply-model-read.ts'
import { regionKeys as K } from '../store/keys.ts'

/** One disagreement; null means the key, field or member is absent on that side. */
export interface Difference { key: string; field: string; stored: string | null; recount: string | null }

const PRESENT = 'member'
const byKeyField = (a: Difference, b: Difference) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.field < b.field ? -1 : a.field > b.field ? 1 : 0)

function diffMaps<V>(
  out: Difference[], prefix: string,
  stored: Map<string, Map<string, V>>, recount: Map<string, Map<string, V>>, show: (v: V) => string,
) {
  for (const key of new Set([...stored.keys(), ...recount.keys()])) {
    const s = stored.get(key) ?? new Map<string, V>()
    const r = recount.get(key) ?? new Map<string, V>()
    for (const field of new Set([...s.keys(), ...r.keys()])) {
      const sv = s.has(field) ? show(s.get(field)!) : null
      const rv = r.has(field) ? show(r.get(field)!) : null
      if (sv !== rv) out.push({ key: prefix + key, field, stored: sv, recount: rv })
    }
  }
}

const asMembers = (sets: Map<string, Set<string>>) =>
  new Map([...sets].filter(([, s]) => s.size > 0).map(([k, s]) => [k, new Map([...s].map((m) => [m, PRESENT]))]))

/** Every difference of the aggregate keys; `prefix` (the channel's key prefix) makes keys readable. */
export function diffAggregates(stored: Aggregates, recount: Aggregates, prefix = ''): Difference[] {
  const out: Difference[] = []
  diffMaps(out, prefix, stored.hashes, recount.hashes, String)
  diffMaps(out, prefix, stored.zsets, recount.zsets, String)
  diffMaps(out, prefix, asMembers(stored.sets), asMembers(recount.sets), String)
  return out.sort(byKeyField)
}

// stored as Lua numbers: compare as numbers, not as text
const NUMERIC = (field: string) => ['deadline', 'dat', 'fon', 'pat', 'paused'].includes(field) || field.startsWith('m.')

/** Every difference of the subject hashes (`<feed>:<subject>` → HGETALL). */
export function diffSubjects(
  stored: Map<string, Record<string, string>>, recount: Map<string, SubjectState>, prefix = '',
): Difference[] {
  const out: Difference[] = []
  for (const id of new Set([...stored.keys(), ...recount.keys()])) {
    const s = stored.get(id) ?? {}
    const sub = recount.get(id)
    const r = sub ? subjectHash(sub) : {}
    for (const field of new Set([...Object.keys(s), ...Object.keys(r)])) {
      const sv = s[field] ?? null
      const rv = r[field] ?? null
      const same = sv === rv || (sv !== null && rv !== null && NUMERIC(field) && Number(sv) === Number(rv))
      if (!same) out.push({ key: prefix + K.subject(id), field, stored: sv, recount: rv })
    }
  }
  return out.sort(byKeyField)
}
