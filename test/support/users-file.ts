// A users.json of test accounts for USERS_FILE, with scrypt hashes made from plain passwords.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashPassword } from '../../server/auth/password.ts'
import type { Role } from '../../server/domain/users.ts'

export interface TestUser { username: string; name: string; role: Role; region?: string; password: string }

/** Write the accounts to a fresh temporary users.json; its path. */
export async function writeUsersFile(users: TestUser[]): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'sr-users-')), 'users.json')
  const records = await Promise.all(users.map(async ({ password, ...u }) => ({ ...u, passwordHash: await hashPassword(password) })))
  writeFileSync(file, JSON.stringify({ users: records }))
  return file
}
