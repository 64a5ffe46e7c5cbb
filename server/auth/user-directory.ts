/**
 * The users who may log in: config/users.json (hashes only), plus a first
 * admin from ADMIN_USER / ADMIN_PASSWORD on a fresh install, plus demo
 * accounts in demo mode (held in memory, never written).
 */
import { existsSync, readFileSync } from 'node:fs'
import { parseConfig } from '../domain/parse-config.ts'
import { usersSchema, type UserRecord } from '../domain/users.ts'
import { hashPassword } from './password.ts'

export class UserDirectory {
  private readonly byName = new Map<string, UserRecord>()

  constructor(users: UserRecord[] = []) {
    for (const u of users) this.byName.set(u.username, u)
  }

  /** Load the config file (absent: no users) and provision the first admin when given. */
  static async load(
    file: string, admin: { username: string; password: string } | undefined, regionExists: (code: string) => boolean,
  ): Promise<UserDirectory> {
    const raw = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { users: [] }
    const { users } = parseConfig(usersSchema, raw, file)
    for (const u of users) {
      if (u.region && !regionExists(u.region)) throw new Error(`${file}: user ${u.username}: unknown region ${u.region}`)
    }
    const dir = new UserDirectory(users)
    if (admin) dir.add({ username: admin.username, name: '管理员', role: 'admin', passwordHash: await hashPassword(admin.password) })
    return dir
  }

  add(u: UserRecord): void {
    this.byName.set(u.username, u)
  }

  find(username: string): UserRecord | undefined {
    return this.byName.get(username)
  }

  get size(): number {
    return this.byName.size
  }
}
