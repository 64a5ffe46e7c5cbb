/**
 * The bounds of DESIGN §4 that every ingested item is held to before anything
 * is written: free attrs are walked without recursion (a 10,000-deep object
 * must not blow the stack), and `at` must lie near the channel clock.
 */

export interface EventBounds {
  /** Items in one request body (INGEST_MAX_ITEMS). */
  maxItems: number
  /** attrs as JSON, in UTF-8 bytes (INGEST_ATTRS_MAX_BYTES). */
  attrsMaxBytes: number
  /** Nesting of attrs, attrs itself being level 1 (INGEST_ATTRS_MAX_DEPTH). */
  attrsMaxDepth: number
  /** Any string inside attrs, in UTF-16 code units (INGEST_STRING_MAX_CHARS). */
  stringMaxChars: number
  /** How far `at` may lie before the channel clock (INGEST_PAST_DAYS). */
  pastDays: number
  /** How far `at` may lie after the channel clock (INGEST_FUTURE_DAYS). */
  futureDays: number
}

export const DEFAULT_EVENT_BOUNDS: EventBounds = {
  maxItems: 10_000, attrsMaxBytes: 8_192, attrsMaxDepth: 4, stringMaxChars: 2_048, pastDays: 400, futureDays: 1,
}

/** Counted attrs: one event can move a counter by at most this much, so no counter ever nears 2^63. */
export const COUNTED_ATTR_MAX = { households: 10_000, durationMin: 1_440, distanceM: 200_000, callSec: 86_400 } as const

/** Event times outside 1970–2099 are refused everywhere, clock or not (day keys stay yyyymmdd). */
export const EARLIEST_AT = 0
export const LATEST_AT = Date.UTC(2100, 0, 1)

const DAY = 86_400_000
const KEY_MAX = 128
const LONE_SURROGATE = /\p{Cs}/u // Redis's cjson refuses to decode them
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const label = (path: string) => (path.length > 80 ? `${path.slice(0, 77)}...` : path)
const keyLabel = (k: string) => (/^[\w.-]{1,40}$/.test(k) ? k : JSON.stringify(k.slice(0, 20)) + (k.length > 20 ? '…' : ''))

// the walk's nodes, reused by every call (validation is synchronous): a node's path is built only for an error message
const nodeValue: unknown[] = []
const nodeDepth: number[] = []
const nodeParent: number[] = []
const nodeKey: string[] = []
const stack: number[] = []

const pathOf = (node: number): string => (node === 0 ? 'attrs' : `${pathOf(nodeParent[node]!)}.${keyLabel(nodeKey[node]!)}`)

/** Why attrs break the bounds (depth, key names, string length, numbers, size), or null when they hold. */
export function checkAttrs(attrs: Record<string, unknown>, b: EventBounds = DEFAULT_EVENT_BOUNDS): string | null {
  try {
    return walkAttrs(attrs, b)
  } finally {
    nodeValue.length = 0 // hold no reference to the item after the call
  }
}

function walkAttrs(attrs: Record<string, unknown>, b: EventBounds): string | null {
  nodeValue.length = nodeDepth.length = nodeParent.length = nodeKey.length = stack.length = 0
  nodeValue.push(attrs); nodeDepth.push(1); nodeParent.push(-1); nodeKey.push('')
  stack.push(0)
  let estimate = 0
  // one entry of an object or array: its key is checked now, its value when it is popped (the order errors are found in)
  const visit = (parent: number, k: string, v: unknown): string | null => {
    if (FORBIDDEN_KEYS.has(k)) return `${label(pathOf(parent))}: key "${k}" is not allowed`
    if (k.length > KEY_MAX) return `${label(pathOf(parent))}: key ${keyLabel(k)} longer than ${KEY_MAX} characters`
    estimate += k.length + 4
    if (estimate > b.attrsMaxBytes) return `attrs: larger than ${b.attrsMaxBytes} bytes as JSON`
    stack.push(nodeValue.push(v) - 1)
    nodeDepth.push(nodeDepth[parent]! + 1); nodeParent.push(parent); nodeKey.push(k)
    return null
  }
  while (stack.length > 0) {
    const node = stack.pop()!
    const value = nodeValue[node]
    if (typeof value === 'string') {
      if (value.length > b.stringMaxChars) return `${label(pathOf(node))}: string longer than ${b.stringMaxChars} characters`
      if (LONE_SURROGATE.test(value)) return `${label(pathOf(node))}: string holds a lone UTF-16 surrogate`
      estimate += value.length
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        return `${label(pathOf(node))}: number out of range (at most ±${Number.MAX_SAFE_INTEGER})`
      }
      estimate += 8
    } else if (value !== null && typeof value === 'object') {
      if (nodeDepth[node]! > b.attrsMaxDepth) return `${label(pathOf(node))}: attrs nest deeper than ${b.attrsMaxDepth} levels`
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const bad = i in value ? visit(node, String(i), value[i]) : null // map() skipped holes too
          if (bad) return bad
        }
      } else {
        for (const [k, v] of Object.entries(value)) {
          const bad = visit(node, k, v)
          if (bad) return bad
        }
      }
    } else {
      estimate += 5
    }
    if (estimate > b.attrsMaxBytes) return `attrs: larger than ${b.attrsMaxBytes} bytes as JSON`
  }
  // the walk bounded depth and size, so stringify is safe and cheap here
  if (utf8Length(JSON.stringify(attrs)) > b.attrsMaxBytes) return `attrs: larger than ${b.attrsMaxBytes} bytes as JSON`
  return null
}

/**
 * The UTF-8 length of a string, counted without encoding it (this file runs in the browser
 * too: no Buffer). A lone surrogate counts 3, as TextEncoder writes it (U+FFFD); JSON.stringify
 * escapes those anyway.
 */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** Why `at` lies outside the window around the channel clock's `now`, or null. */
export function checkAt(at: number, now: number | undefined, b: EventBounds = DEFAULT_EVENT_BOUNDS): string | null {
  if (at < EARLIEST_AT || at >= LATEST_AT) return 'at: must lie between 1970 and 2099'
  if (now === undefined) return null
  if (at < now - b.pastDays * DAY) return `at: more than ${b.pastDays} days before the channel clock (${new Date(now).toISOString()})`
  if (at > now + b.futureDays * DAY) return `at: more than ${b.futureDays} day(s) after the channel clock (${new Date(now).toISOString()})`
  return null
}
