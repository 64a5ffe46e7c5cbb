// An audit write that Redis refuses does not fail the action that already
// happened: it is retried, then printed whole to stderr as AUDIT LOST.
import { Redis } from 'ioredis'
import { afterAll, expect, it, vi } from 'vitest'
import { AuditLog } from '../../server/audit/audit-log.ts'

// a client that never connects (port 1) and does not queue: every command fails at once
const dead = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null })
afterAll(() => dead.disconnect())

it('prints a lost entry instead of throwing', async () => {
  const errors: string[] = []
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.map(String).join(' ')) })
  try {
    await expect(new AuditLog(dead, 180, () => 1_795_000_000_000).record({ who: 'admin', role: 'admin', address: '10.0.0.8', action: 'alert.ack', target: 'live A1' })).resolves.toBeUndefined()
  } finally {
    spy.mockRestore()
  }
  expect(errors).toHaveLength(1)
  expect(errors[0]).toContain('AUDIT LOST {"who":"admin","role":"admin","address":"10.0.0.8","action":"alert.ack","target":"live A1","at":1795000000000}')
})
