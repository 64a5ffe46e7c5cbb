/**
 * A fast path for the zod object schemas that validation runs on every
 * ingested event. Compiled once from the schemas themselves, it accepts only
 * what zod accepts and returns what zod would (the same keys in the same
 * order), without zod's per-call work. Whatever it cannot vouch for (a
 * construct or check it does not know, a failed check, a value that is not
 * plain JSON) answers undefined, and the caller runs zod, whose issues make
 * the error message: so every result and every message is zod's. Objects are
 * built anew as zod builds them; a record or tuple is returned as it came
 * (zod's copy would be equal).
 */

const NO = Symbol('not sure')
type Convert = (v: unknown) => unknown
type Def = { type: string; checks?: { _zod: { def: CheckDef } }[]; [k: string]: unknown }
type CheckDef = { check: string; [k: string]: unknown }

const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def
const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype
const never: Convert = () => NO

/** Checks of a string or number: each a test zod would pass; undefined when one is unknown. */
function checksOf(def: Def): ((v: never) => boolean)[] | undefined {
  const out: ((v: never) => boolean)[] = []
  for (const { _zod: { def: c } } of def.checks ?? []) {
    if (c.check === 'min_length') out.push((s: string) => s.length >= (c.minimum as number))
    else if (c.check === 'max_length') out.push((s: string) => s.length <= (c.maximum as number))
    else if (c.check === 'string_format' && c.format === 'regex' && !(c.pattern as RegExp).global && !(c.pattern as RegExp).sticky) {
      const re = c.pattern as RegExp
      out.push((s: string) => re.test(s))
    } else if (c.check === 'greater_than') out.push(c.inclusive ? (n: number) => n >= (c.value as number) : (n: number) => n > (c.value as number))
    else if (c.check === 'less_than') out.push(c.inclusive ? (n: number) => n <= (c.value as number) : (n: number) => n < (c.value as number))
    else if (c.check === 'number_format' && c.format === 'safeint') out.push((n: number) => Number.isSafeInteger(n))
    else return undefined
  }
  return out
}

function compile(schema: unknown, special: ReadonlyMap<unknown, (v: unknown) => boolean>): Convert {
  const own = special.get(schema)
  if (own) return (v) => (own(v) ? v : NO)
  const def = defOf(schema)
  if (def.type === 'optional') return compile(def.innerType, special) // undefined never reaches here: objects refuse it
  if (def.type === 'unknown') return (v) => v
  if (def.type === 'object') return compileObject(schema, special) ?? never
  const checks = checksOf(def)
  if (!checks) return never
  const all = (v: never) => {
    for (const c of checks) if (!c(v)) return false
    return true
  }
  switch (def.type) {
    case 'string':
      return (v) => (typeof v === 'string' && all(v as never) ? v : NO)
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) && all(v as never) ? v : NO)
    case 'boolean':
      return checks.length === 0 ? (v) => (typeof v === 'boolean' ? v : NO) : never
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>))
      return checks.length === 0 ? (v) => (typeof v === 'string' && values.has(v) ? v : NO) : never
    }
    case 'tuple': {
      if (def.rest || checks.length > 0) return never
      const items = (def.items as unknown[]).map((s) => compile(s, special))
      // zod returns a copy; a plain array of what it accepts is the same value, and is nobody else's
      return (v) => {
        if (!Array.isArray(v) || v.length !== items.length) return NO
        for (let i = 0; i < items.length; i++) if (items[i]!(v[i]) !== v[i]) return NO
        return v
      }
    }
    case 'record': {
      const key = defOf(def.keyType)
      if (key.type !== 'string' || (key.checks ?? []).length > 0 || defOf(def.valueType).type !== 'unknown' || checks.length > 0) return never
      return (v) => (isPlain(v) && !Object.hasOwn(v, '__proto__') && !Object.values(v).includes(undefined) ? v : NO) // as a tuple
    }
    default:
      return never
  }
}

/**
 * The fast path of a zod object schema (strict or loose): the parsed object, or
 * undefined when zod must decide. `special` names schemas (by identity) whose
 * check is written by hand, e.g. one with a refinement.
 */
export function compileObject(schema: unknown, special: ReadonlyMap<unknown, (v: unknown) => boolean> = new Map()):
  ((v: unknown) => Record<string, unknown> | undefined) | undefined {
  const def = defOf(schema)
  const rest = def.catchall ? defOf(def.catchall).type : undefined
  if (def.type !== 'object' || (rest !== 'never' && rest !== 'unknown') || (def.checks ?? []).length > 0) return undefined
  const shape = def.shape as Record<string, unknown>
  const names = Object.keys(shape)
  const fields = new Map(names.map((k) => [k, compile(shape[k], special)]))
  const required = names.filter((k) => defOf(shape[k]).type !== 'optional')
  const strict = rest === 'never'
  return (v) => {
    if (!isPlain(v)) return undefined
    for (const k of required) if (!Object.hasOwn(v, k)) return undefined
    const out: Record<string, unknown> = {}
    for (const k of names) {
      if (!Object.hasOwn(v, k)) continue
      const got = fields.get(k)!(v[k])
      if (got === NO || got === undefined) return undefined
      out[k] = got
    }
    for (const k of Object.keys(v)) {
      if (fields.has(k)) continue
      if (strict || v[k] === undefined || k === '__proto__') return undefined
      out[k] = v[k]
    }
    return out
  }
}
