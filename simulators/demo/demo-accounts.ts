/** Demo mode's accounts, one per role, with fresh passwords each run (held in memory, printed once). */
import { randomBytes } from 'node:crypto'
import { hashPassword } from '../../server/auth/password.ts'
import type { UserRecord } from '../../server/domain/users.ts'

const ACCOUNTS: Omit<UserRecord, 'passwordHash'>[] = [
  { username: 'admin', name: '系统管理员', role: 'admin' },
  { username: 'operator', name: '值班员', role: 'operator' },
  { username: 'trainer', name: '演练教员', role: 'trainer' },
  { username: 'leader', name: '葡萄沟街道 领导', role: 'leader', region: '650402003' },
]

export async function demoAccounts(): Promise<{ record: UserRecord; password: string }[]> {
  return Promise.all(ACCOUNTS.map(async (a) => {
    const password = randomBytes(6).toString('base64url')
    return { record: { ...a, passwordHash: await hashPassword(password) } as UserRecord, password }
  }))
}
