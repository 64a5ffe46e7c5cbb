/**
 * Who may see what: roles, users from config/users.json (password hashes
 * only), and the principal a session or display token stands for.
 */
import { z } from 'zod'

export const ROLES = ['operator', 'leader', 'trainer', 'admin'] as const
export type Role = (typeof ROLES)[number] | 'display'

const user = z
  .strictObject({
    username: z.string().regex(/^[\w.-]{2,40}$/, 'letters, digits, . _ - (2–40)'),
    name: z.string().min(1).max(40),
    role: z.enum(ROLES),
    region: z.string().regex(/^\d{6,15}$/).optional(),
    passwordHash: z.string().startsWith('scrypt$', 'must be a scrypt hash made by npm run users:add (never a plain password)'),
  })
  .refine((u) => u.role !== 'leader' || u.region, 'a leader is bound to one region: set region')

export const usersSchema = z.strictObject({ $comment: z.string().optional(), users: z.array(user) })
export type UserRecord = z.infer<typeof user>

/** What a request or socket is allowed to do, after authentication. */
export interface Principal {
  kind: 'session' | 'display'
  id: string // session or display-token id (for logout / revocation)
  username: string
  name: string
  role: Role
  region: string // root of what they may see
  channel?: string // display tokens may be bound to one channel
}

/** Whether a principal may act in a role-gated area. */
export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return p.role === 'admin' || roles.includes(p.role)
}
