// Password hashes, the users file's rules and role checks.
import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../server/auth/password.ts'
import { hasRole, usersSchema, type Principal } from '../../server/domain/users.ts'

describe('passwords', () => {
  it('stores only a salted scrypt hash and verifies in constant time', async () => {
    const a = await hashPassword('correct horse')
    const b = await hashPassword('correct horse')
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/)
    expect(a).not.toContain('correct')
    expect(a).not.toBe(b) // salted
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct hors', a)).toBe(false)
    expect(await verifyPassword('x', 'plain-text')).toBe(false)
  })

  it('refuses passwords shorter than 8 characters', async () => {
    await expect(hashPassword('short')).rejects.toThrow('at least 8')
  })
})

describe('users file', () => {
  const base = { username: 'li', name: '李四', role: 'operator', passwordHash: 'scrypt$16384$8$1$a$b' }
  it('accepts hashed users and refuses plain passwords and unbound leaders', () => {
    expect(usersSchema.safeParse({ users: [base] }).success).toBe(true)
    const plain = usersSchema.safeParse({ users: [{ ...base, passwordHash: 'hunter22' }] })
    expect(plain.error?.issues[0]?.message).toContain('scrypt hash')
    const leader = usersSchema.safeParse({ users: [{ ...base, role: 'leader' }] })
    expect(leader.error?.issues[0]?.message).toContain('bound to one region')
    expect(usersSchema.safeParse({ users: [{ ...base, role: 'leader', region: '650402100' }] }).success).toBe(true)
  })
})

describe('roles', () => {
  const p = (role: Principal['role']): Principal => ({ kind: 'session', id: 'x', username: 'u', name: 'n', role, region: '650400' })
  it('lets admin do everything and others only their own role', () => {
    expect(hasRole(p('admin'), 'trainer')).toBe(true)
    expect(hasRole(p('trainer'), 'trainer')).toBe(true)
    expect(hasRole(p('leader'), 'trainer')).toBe(false)
    expect(hasRole(p('display'), 'operator', 'leader')).toBe(false)
  })
})
