/**
 * The limits and policies that keep a hostile client or a hung Redis from
 * taking an instance down (DESIGN §12), each a named setting with a default.
 */
import type { LoginLimits } from '../auth/login-limits.ts'

export interface SecurityConfig {
  /** REDIS_COMMAND_TIMEOUT_MS: a command Redis has not answered by then fails, and the request answers 503. */
  redisCommandTimeoutMs: number
  /** ALLOWED_ORIGINS: origins besides our own whose pages may POST to us and open sockets (comma-separated). */
  allowedOrigins: string[]
  /** FRAME_ANCESTORS: CSP frame-ancestors, who may embed our pages. */
  frameAncestors: string
  /** REQUEST_TIMEOUT_MS: the whole request, headers and body, must arrive within this. */
  requestTimeoutMs: number
  /** HEADERS_TIMEOUT_MS: the request headers must arrive within this. */
  headersTimeoutMs: number
  login: LoginLimits
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}="${raw}" must be a whole number ≥ ${min}`)
  return n
}

function originsFrom(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    let url: URL
    try {
      url = new URL(o)
    } catch {
      throw new Error(`ALLOWED_ORIGINS entry "${o}" is not an origin like https://wall.example.org`)
    }
    return url.origin
  })
}

/** Read the settings above from the environment; defaults suit one command centre. */
export function securityConfigFromEnv(env: NodeJS.ProcessEnv): SecurityConfig {
  const requestTimeoutMs = intFrom(env, 'REQUEST_TIMEOUT_MS', 30_000, 1)
  const headersTimeoutMs = intFrom(env, 'HEADERS_TIMEOUT_MS', 10_000, 1)
  if (headersTimeoutMs > requestTimeoutMs) throw new Error(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`)
  const frameAncestors = (env.FRAME_ANCESTORS ?? '').trim() || "'self'"
  if (/[;,\r\n]/.test(frameAncestors)) throw new Error(`FRAME_ANCESTORS="${frameAncestors}" must be space-separated sources like 'self' https://portal.example.org`)
  return {
    redisCommandTimeoutMs: intFrom(env, 'REDIS_COMMAND_TIMEOUT_MS', 1500, 1),
    allowedOrigins: originsFrom(env.ALLOWED_ORIGINS),
    frameAncestors,
    requestTimeoutMs,
    headersTimeoutMs,
    login: {
      perAddress: intFrom(env, 'LOGIN_MAX_PER_ADDRESS', 50, 1),
      perUserAddress: intFrom(env, 'LOGIN_MAX_PER_USER_ADDRESS', 5, 1),
      windowSec: intFrom(env, 'LOGIN_WINDOW_SEC', 900, 1),
      userFreeFails: intFrom(env, 'LOGIN_USER_FREE_FAILS', 10),
      userDelayMs: intFrom(env, 'LOGIN_USER_DELAY_MS', 1000, 1),
      userDelayMaxMs: intFrom(env, 'LOGIN_USER_DELAY_MAX_MS', 30_000, 1),
    },
  }
}
