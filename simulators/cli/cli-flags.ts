/**
 * Flag handling shared by the simulator CLIs: --help, unknown or malformed
 * flags (exit 2 with a Chinese message), numbers and ISO times. Progress and
 * errors go to stderr; stdout carries data only.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parseInstant } from '../../server/domain/events.ts'

/** Print to stderr (progress, summaries): stdout stays clean for data. */
export const say = (line: string) => void process.stderr.write(`${line}\n`)

/** Bad usage: message and hint on stderr, exit code 2. */
export function fail(message: string): never {
  process.stderr.write(`错误：${message}\n运行 --help 查看用法。\n`)
  process.exit(2)
}

/** A failure while running (bad file, server down): message on stderr, exit code 1. */
export function die(message: string): never {
  process.stderr.write(`错误：${message}\n`)
  process.exit(1)
}

/** Parse `argv` strictly; prints `help` and exits 0 on --help / -h. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(options: O, help: string) {
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }) as
      { values: Record<string, string | boolean | undefined> }
    if (values.help) {
      process.stdout.write(help)
      process.exit(0)
    }
    return values as { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string }
  } catch (err) {
    fail(`参数有误：${(err as Error).message}`)
  }
}

export function numberFlag(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, what: string): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) fail(`--${name} "${raw}" 无效，应为${what}`)
  return n
}

/** An ISO 8601 time with offset, as epoch ms. */
export function timeFlag(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) fail(`缺少 --${name}（ISO 8601 时间，例如 2026-11-20T00:00:00+08:00）`)
    return fallback
  }
  const ms = parseInstant(raw)
  if (ms === null) fail(`--${name} "${raw}" 不是带时区的 ISO 8601 时间，例如 2026-11-20T00:00:00+08:00`)
  return ms
}

/** 12,345 */
export const count = (n: number) => n.toLocaleString('en-US')

/** `11-20 06:00` in Shanghai time, for progress lines. */
export const shortTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ')
