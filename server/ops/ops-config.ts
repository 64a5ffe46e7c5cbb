/** Logging and metrics settings: LOG_LEVEL, LOG_FORMAT, METRICS_TOKEN. */
import { LOG_LEVELS, type LogFormat } from './logger.ts'

export interface OpsConfig {
  /** pino level: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel: string
  /** json (default): one JSON object a line; pretty: for a person at a terminal. */
  logFormat: LogFormat
  /** When set, GET /metrics needs `Authorization: Bearer <it>`; unset, it answers loopback clients only. */
  metricsToken: string | undefined
}

export function opsConfigFromEnv(env: NodeJS.ProcessEnv): OpsConfig {
  const logLevel = env.LOG_LEVEL || 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new Error(`LOG_LEVEL="${logLevel}" must be one of ${LOG_LEVELS.join(', ')}`)
  const logFormat = env.LOG_FORMAT || 'json'
  if (logFormat !== 'json' && logFormat !== 'pretty') throw new Error(`LOG_FORMAT="${logFormat}" must be json or pretty`)
  const metricsToken = env.METRICS_TOKEN || undefined
  if (metricsToken && metricsToken.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters (or unset it to serve /metrics to loopback only)')
  return { logLevel, logFormat, metricsToken }
}
