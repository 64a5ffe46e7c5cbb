/**
 * Add or replace a user in config/users.json with a scrypt password hash:
 *   npm run users:add -- --username zhang --name 张三 --role leader --region 650402100
 * The password is read from standard input (asked for on a terminal), never from a flag.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { hostname, userInfo } from 'node:os'
import { Redis } from 'ioredis'
import { AuditLog } from '../audit/audit-log.ts'
import { createRedis } from '../store/redis-client.ts'
import { redisSettingsFromEnv } from '../store/redis-topology.ts'
import { systemTime } from '../domain/clock.ts'
import { hashPassword } from '../auth/password.ts'
import { loadRegions } from '../config.ts'
import { ROLES, usersSchema, type UserRecord } from '../domain/users.ts'

const USAGE = 'usage: npm run users:add -- --username <name> --name <显示名> --role operator|leader|trainer|admin [--region <code>] [--file config/users.json]'

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, region: { type: 'string' }, file: { type: 'string', default: 'config/users.json' }, help: { type: 'boolean' } },
  })
  if (values.help) return console.log(USAGE), 0
  const { username, name, role, region, file } = values
  if (!username || !name || !role || !ROLES.includes(role as (typeof ROLES)[number])) return console.error(USAGE), 2
  if (region && !loadRegions().get(region)) return console.error(`unknown region ${region}`), 2
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  const password = (await rl.question(`password for ${username}: `)).trim()
  rl.close()
  const config = usersSchema.parse(JSON.parse(readFileSync(file!, 'utf8')))
  const user = { username, name, role, ...(region ? { region } : {}), passwordHash: await hashPassword(password) } as UserRecord
  const users = [...config.users.filter((u) => u.username !== username), user]
  usersSchema.parse({ ...config, users }) // a leader without a region, a bad name… refused before anything is written
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...config, users }, null, 2)}\n`)
  renameSync(`${file}.tmp`, file!)
  console.error(`saved ${username} (${role}${region ? `, ${region}` : ''}) to ${file}`)
  await auditUserChange(config.users.some((u) => u.username === username) ? 'user.change' : 'user.add', `${username} (${role}${region ? `, ${region}` : ''})`)
  return 0
}

// a user change is audited (DESIGN §12) in the server's Redis when REDIS_URL (or REDIS_CLUSTER_NODES, REDIS_SENTINELS) names it; the embedded Redis runs only with the server
async function auditUserChange(action: string, target: string) {
  const { topology } = redisSettingsFromEnv(process.env)
  if (!topology) return console.error('not audited: set REDIS_URL (or REDIS_CLUSTER_NODES, REDIS_SENTINELS) to the server\'s Redis to record this change in the audit trail')
  const redis = topology.kind === 'single' ? new Redis(topology.url, { maxRetriesPerRequest: 1 }) : createRedis(topology)
  try {
    const days = Number(process.env.AUDIT_RETENTION_DAYS) || 180
    await new AuditLog(redis, days, systemTime).record({ who: `cli:${userInfo().username}`, role: 'cli', address: hostname(), action, target })
  } finally {
    redis.disconnect()
  }
}

main().then((code) => process.exit(code), (err: Error) => {
  console.error(`users:add failed: ${err.message}`)
  process.exit(1)
})
