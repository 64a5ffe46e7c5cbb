import { describe, expect, it } from 'vitest'
import { securityConfigFromEnv } from '../../server/http/security-config.ts'
import { contentSecurityPolicy } from '../../server/http/security-headers.ts'
import { wallConfigFromEnv } from '../../server/http/wall-config-router.ts'

describe('security settings', () => {
  it('has a default for every limit', () => {
    expect(securityConfigFromEnv({})).toEqual({
      redisCommandTimeoutMs: 1500, allowedOrigins: [], frameAncestors: "'self'", requestTimeoutMs: 30_000, headersTimeoutMs: 10_000,
      login: { perAddress: 50, perUserAddress: 5, windowSec: 900, userFreeFails: 10, userDelayMs: 1000, userDelayMaxMs: 30_000 },
    })
  })
  it('says which setting is wrong', () => {
    expect(() => securityConfigFromEnv({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/)
    expect(() => securityConfigFromEnv({ FRAME_ANCESTORS: "'self'; script-src *" })).toThrow(/FRAME_ANCESTORS/)
    expect(() => securityConfigFromEnv({ HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HEADERS_TIMEOUT_MS/)
    expect(() => securityConfigFromEnv({ REDIS_COMMAND_TIMEOUT_MS: '0' })).toThrow(/REDIS_COMMAND_TIMEOUT_MS/)
    expect(securityConfigFromEnv({ ALLOWED_ORIGINS: 'https://a.example/path, http://b.example:8080' }).allowedOrigins).toEqual(['https://a.example', 'http://b.example:8080'])
  })
})

describe('content security policy', () => {
  it('is our origin only by default, with blob: workers and data: images for the map', () => {
    const csp = contentSecurityPolicy(wallConfigFromEnv({}), "'self'")
    expect(csp).toContain("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;")
    expect(csp).toContain("connect-src 'self';")
    expect(csp).toContain("worker-src 'self' blob:")
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).not.toMatch(/https?:/)
  })
  it('adds the configured tile host and, with a token, Mapbox', () => {
    const csp = contentSecurityPolicy(wallConfigFromEnv({ MAP_TILES_URL: 'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png', MAPBOX_TOKEN: 'pk.x' }), "'none'")
    expect(csp).toContain("img-src 'self' data: blob: http://10.1.2.3:8080 https://api.mapbox.com")
    expect(csp).toContain("connect-src 'self' http://10.1.2.3:8080 https://api.mapbox.com")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(contentSecurityPolicy(wallConfigFromEnv({ MAP_TILES_URL: '/tiles/{z}/{x}/{y}.png' }), "'self'")).not.toContain('/tiles')
  })
})
