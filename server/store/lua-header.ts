/**
 * Constants defined once in TypeScript, written into a Lua script as `local`
 * declarations when the script is loaded: counter names, key suffixes and the
 * lifecycle tables. The script's text (and so its SHA) holds them, so no call
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

// apply.lua reads a transition as { {from...}, to }
const asLua = (t: Record<string, Transition>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [v.from, v.to]]))

// built only for the feed of the call: a table of every feed on every call would cost more than it saves
function transitionsOf(): string {
  const feeds = { case: CASE_LIFECYCLE, hotline: HOTLINE_LIFECYCLE, service: SERVICE_LIFECYCLE }
  const branches = Object.entries(feeds).map(([feed, t], i) => `  ${i === 0 ? 'if' : 'elseif'} feed == ${luaLiteral(feed)} then return ${luaLiteral(asLua(t))}`)
  return ['-- the lifecycle table of a subject feed: { type = { {from...}, to } } (\'=\' keeps, \'<\' back to prev), nil for others',
    'local function transitionsOf(feed)', ...branches, '  end', '  return nil', 'end'].join('\n')
}

const DECLARE: Record<LuaConstants, () => string> = {
  counters: () => [
    `-- counter fields of the period hashes (server/domain/counters.ts)`,
    `local C = ${luaLiteral(COUNTER)}`,
    `local CF = ${luaLiteral(COUNTER_FAMILY)}`,
    `local SC = ${luaLiteral(SERVICE_COUNTER)}`,
  ].join('\n'),
  keys: () => `-- key suffixes after the channel prefix (server/store/keys.ts)\nlocal K = ${luaLiteral(KEY_SUFFIX)}`,
  transitions: transitionsOf,
}

/**
 * The script with the asked constants declared before its first line (after
 * a `#!lua` shebang, which must stay first: it makes Redis refuse the whole
 * script when out of memory).
 */
export function withConstants(source: string, wanted: readonly LuaConstants[]): string {
  if (wanted.length === 0) return source
  const header = ['-- >>> generated when loaded (server/store/lua-header.ts)', ...wanted.map((w) => DECLARE[w]()), '-- <<< generated'].join('\n')
  const shebang = /^#!lua[^\n]*\n/.exec(source)?.[0] ?? ''
  return `${shebang}${header}\n${source.slice(shebang.length)}`
}
