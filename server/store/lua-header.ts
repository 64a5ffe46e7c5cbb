/**
 * Constants defined once in TypeScript, written into a Lua script when it is
 * loaded: counter names and key suffixes as literals where the script names
 * them (`C.caseReported`, `K.day`), the lifecycle tables and the 代办 scope
 * counters as `local` declarations. The script's text (and so its SHA) holds them, so no call
 * sends them as ARGV.
 */
import { COUNTER, COUNTER_FAMILY, SERVICE_COUNTER } from '../domain/counters.ts'
import { CASE_LIFECYCLE, HOTLINE_LIFECYCLE, SERVICE_LIFECYCLE, type Transition } from '../domain/lifecycles.ts'
import { KEY_SUFFIX } from './keys.ts'

/** What a script may ask to have declared before its first line. */
export type LuaConstants = 'counters' | 'keys' | 'transitions'

const LUA_KEYWORDS = new Set(['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while'])
const isName = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !LUA_KEYWORDS.has(s)

/** A Lua literal of a string, number, array or plain object (constants only: printable ASCII strings). */
export function luaLiteral(v: unknown): string {
  if (typeof v === 'string') {
    if (!/^[\x20-\x7e]*$/.test(v)) throw new Error(`not a printable ASCII constant: ${JSON.stringify(v)}`)
    return `'${v.replace(/[\\']/g, '\\$&')}'`
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (Array.isArray(v)) return `{ ${v.map(luaLiteral).join(', ')} }`
  if (v !== null && typeof v === 'object') {
    const fields = Object.entries(v).map(([k, x]) => `${isName(k) ? k : `[${luaLiteral(k)}]`} = ${luaLiteral(x)}`)
    return `{ ${fields.join(', ')} }`
  }
  throw new Error(`no Lua literal for ${typeof v}`)
}

// the lifecycle of a feed as a function of (type, state), not a table: a table of the feed's
// types, each with a table of its source states, was ~25 tables built on every call (measured
// ~1.4 µs); the function's branches are compiled once with the script
const luaAny = (states: readonly string[]) => states.map((s) => `state == ${luaLiteral(s)}`).join(' or ')
const stepsOf = (t: Record<string, Transition>) => Object.entries(t).map(([type, { from, to }], i) =>
  `      ${i === 0 ? 'if' : 'elseif'} step == ${luaLiteral(type)} then return (${luaAny(from)}) and ${luaLiteral(to)}`)
function transitionsOf(): string {
  const feeds = { case: CASE_LIFECYCLE, hotline: HOTLINE_LIFECYCLE, service: SERVICE_LIFECYCLE }
  const branches = Object.entries(feeds).map(([feed, t], i) => [
    `  ${i === 0 ? 'if' : 'elseif'} feed == ${luaLiteral(feed)} then`,
    '    return function(step, state)', ...stepsOf(t), '      end', '    end'])
  return ['-- the lifecycle of a subject feed: a function of (step type, state) that returns the state a step of that type',
    "-- leads to from there ('=' keeps, '<' back to prev), false when it does not fit, nil when the type is no step of",
    '-- the feed; nil for feeds with no lifecycle',
    'local function transitionsOf(feed)', ...branches.flat(), '  end', '  return nil', 'end'].join('\n')
}

// the 代办 counter of a scope and milestone as a function: a table of tables would be built on every call
function scopeCounter(): string {
  const branches = Object.entries(SERVICE_COUNTER).flatMap(([scope, names]) => Object.entries(names).map(([name, counter]) =>
    `scope == ${luaLiteral(scope)} and name == ${luaLiteral(name)} then return ${luaLiteral(counter)}`))
  return ['-- the 代办 counter of a scope and milestone (server/domain/counters.ts), nil for others',
    'local function SC(scope, name)', ...branches.map((b, i) => `  ${i === 0 ? 'if' : 'elseif'} ${b}`), '  end', '  return nil', 'end'].join('\n')
}

// what a script reads with a variable (a lifecycle, a scope): declared as `local` functions before its
// first line, compiled once with the script (a table would be built on every call)
const DECLARE: Partial<Record<LuaConstants, () => string>> = {
  counters: scopeCounter,
  transitions: transitionsOf,
}

// names a script reads as `C.x`, `CF.x` or `K.x`: each is written in as its literal when the script is
// loaded, so no call builds a table of ~70 strings only to read a few of them (measured: a few µs per call)
const INLINE: Record<LuaConstants, Record<string, Readonly<Record<string, string>>>> = {
  counters: { C: COUNTER, CF: COUNTER_FAMILY },
  keys: { K: KEY_SUFFIX },
  transitions: {},
}

function inline(source: string, wanted: readonly LuaConstants[]): string {
  const tables: Record<string, Readonly<Record<string, string>>> = Object.assign({}, ...wanted.map((w) => INLINE[w]))
  const names = Object.keys(tables)
  if (names.length === 0) return source
  const head = names.join('|')
  if (new RegExp(`\\b(${head})\\s*\\[`).test(source)) throw new Error(`a Lua script indexes ${names.join('/')} with a variable: only names are written in`)
  return source.replace(new RegExp(`\\b(${head})\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'), (_, table: string, name: string) => {
    const v = tables[table]![name]
    if (v === undefined) throw new Error(`no constant ${table}.${name} to write into a Lua script`)
    return luaLiteral(v)
  })
}

/**
 * The script with the asked constants declared before its first line (after
 * a `#!lua` shebang, which must stay first: it makes Redis refuse the whole
 * script when out of memory).
 */
export function withConstants(source: string, wanted: readonly LuaConstants[]): string {
  if (wanted.length === 0) return source
  const declared = wanted.flatMap((w) => DECLARE[w]?.() ?? []) // key suffixes are only written in (INLINE)
  const header = ['-- >>> generated when loaded (server/store/lua-header.ts)', ...declared, '-- <<< generated'].join('\n')
  const shebang = /^#!lua[^\n]*\n/.exec(source)?.[0] ?? ''
  return `${shebang}${header}\n${inline(source.slice(shebang.length), wanted)}`
}
