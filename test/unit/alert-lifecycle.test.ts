// When each alert kind ends by itself (server/alerts/alert-lifecycle.ts), read against issue 13.
import { describe, expect, it } from 'vitest'
import { hasEnded, lifetimesOf } from '../../server/alerts/alert-lifecycle.ts'
import type { Alert } from '../../server/domain/alerts.ts'

const T0 = Date.parse('2026-11-21T09:00:00+08:00')
const MINUTE = 60_000
const life = lifetimesOf({ surge: { factor: 3, minCount: 10, everySec: 30 }, hotspot: { count: 3, windowHours: 24, kinds: ['complaint'] } })
const alert = (type: Alert['type']): Alert => ({ id: `${type}:x`, type, severity: 'warning', region: '650400', at: T0, text: '' })

describe('alert lifetimes', () => {
  it('defaults: a critical alert lasts 60 quiet minutes, a hotspot its window', () => {
    expect(life).toEqual({ criticalQuietMs: 60 * MINUTE, hotspotWindowMs: 24 * 60 * MINUTE })
  })

  it('ends a critical alert after its quiet time and a hotspot after its window, not a moment before', () => {
    expect(hasEnded(alert('critical'), T0 + 60 * MINUTE - 1, life)).toBe(false)
    expect(hasEnded(alert('critical'), T0 + 60 * MINUTE, life)).toBe(true)
    expect(hasEnded(alert('hotspot'), T0 + 24 * 60 * MINUTE - 1, life)).toBe(false)
    expect(hasEnded(alert('hotspot'), T0 + 24 * 60 * MINUTE, life)).toBe(true)
  })

  it('ends an urgent case\'s alert when the case is closed, cancelled or gone, never by time', () => {
    for (const state of ['REPORTED', 'REGISTERED', 'DISPATCHED', 'DISPOSED']) expect(hasEnded(alert('urgent'), T0 + 1e12, life, state)).toBe(false)
    for (const state of ['CLOSED', 'CANCELLED', '']) expect(hasEnded(alert('urgent'), T0, life, state)).toBe(true)
    expect(hasEnded(alert('urgent'), T0 + 1e12, life)).toBe(false) // state not read: nothing decided
  })

  it('leaves overdue and surge alerts to their own rules', () => {
    expect(hasEnded(alert('overdue'), T0 + 1e12, life, 'CLOSED')).toBe(false)
    expect(hasEnded(alert('surge'), T0 + 1e12, life)).toBe(false)
  })
})
