// LOG_LEVEL, LOG_FORMAT and METRICS_TOKEN: defaults, and a wrong value named with its fix.
import { expect, it } from 'vitest'
import { opsConfigFromEnv } from '../../server/ops/ops-config.ts'

it('defaults to info JSON logs and loopback-only metrics', () => {
  expect(opsConfigFromEnv({})).toEqual({ logLevel: 'info', logFormat: 'json', metricsToken: undefined })
  expect(opsConfigFromEnv({ LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty', METRICS_TOKEN: 'a-long-enough-token' }))
    .toEqual({ logLevel: 'warn', logFormat: 'pretty', metricsToken: 'a-long-enough-token' })
})

it('refuses a level, format or token that would not do what was meant', () => {
  expect(() => opsConfigFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL="loud" must be one of fatal, error, warn, info/)
  expect(() => opsConfigFromEnv({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT="xml" must be json or pretty/)
  expect(() => opsConfigFromEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/)
})
