/**
 * The process's logger: pino JSON lines on stdout (one object a line, for a
 * log shipper), or a human-readable line per entry (LOG_FORMAT=pretty, the
 * demo's default). Every line passes redactLine before it is written.
 */
import { createRequire } from 'node:module'
import { pino, type Logger, type LevelWithSilent } from 'pino'
import { redactLine } from './redact-line.ts'

export type LogFormat = 'json' | 'pretty'
export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

interface Sink { write(s: string): unknown }

/** A logger writing redacted lines to `out` (any object with write(string)). */
export function createLogger(level: string, out: () => Sink): Logger {
  return pino({
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // the usual places first, by path; redactLine then catches any other key and any string
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[Redacted]' },
  }, { write: (line: string) => void out().write(redactLine(line)) })
}

let sink: Sink = process.stdout

/** The logger every server module uses. */
// a wrong LOG_LEVEL is reported by the config check with its fix, not by pino throwing at import
const envLevel = process.env.LOG_LEVEL ?? ''
export const logger: Logger = createLogger((LOG_LEVELS as readonly string[]).includes(envLevel) ? envLevel : 'info', () => sink)

/** Apply LOG_LEVEL and LOG_FORMAT (the logger exists before the config is read). */
export function configureLogging(o: { level: string; format: LogFormat }): void {
  logger.level = o.level
  sink = o.format === 'pretty' ? prettySink() : process.stdout
}

// pino-pretty is a devDependency: without it (a production install) the lines stay JSON
function prettySink(): Sink {
  try {
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')
    const pretty = prettyFactory({ colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
    return { write: (line: string) => process.stdout.write(pretty(line)) }
  } catch {
    return process.stdout
  }
}
