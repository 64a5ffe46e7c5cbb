/**
 * GET /api/v1/audit (JSON) and GET /api/v1/audit.csv (UTF-8 with BOM, for
 * Excel): the audit trail newest first, admins only; filters user, action
 * (an action or its prefix, e.g. `drill`), from, to (ISO), limit.
 */
import { Router, type Request } from 'express'
import { requireRole } from '../auth/authenticate.ts'
import type { AuditFilter, AuditLog } from '../audit/audit-log.ts'
import { BadRequestError } from '../domain/errors.ts'

const MAX_LIMIT = 10_000

function filterOf(req: Request): AuditFilter {
  const q = req.query
  const one = (name: string) => {
    const v = q[name]
    if (v !== undefined && typeof v !== 'string') throw new BadRequestError(`${name} is a single value`)
    return v || undefined
  }
  const time = (name: string) => {
    const v = one(name)
    if (v === undefined) return undefined
    const ms = Date.parse(v)
    if (Number.isNaN(ms)) throw new BadRequestError(`${name} must be an ISO 8601 date-time, e.g. 2026-11-21T00:00:00+08:00`)
    return ms
  }
  const limit = Number(one('limit') ?? 200)
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadRequestError(`limit must be 1–${MAX_LIMIT}`)
  return { user: one('user'), action: one('action'), from: time('from'), to: time('to'), limit }
}

const csvCell = (v: string | number) => {
  const s = String(v)
  // a leading = + - @ would be run as a formula by a spreadsheet: quote it as text
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export function auditRouter(log: AuditLog): Router {
  const r = Router()
  r.get('/api/v1/audit', requireRole('admin'), async (req, res) => {
    const entries = await log.read(filterOf(req))
    res.json({ entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) })
  })
  r.get('/api/v1/audit.csv', requireRole('admin'), async (req, res) => {
    const entries = await log.read(filterOf(req))
    const rows = [['at', 'who', 'role', 'address', 'action', 'target'], ...entries.map((e) => [new Date(e.at).toISOString(), e.who, e.role, e.address, e.action, e.target])]
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="audit.csv"')
      .send(`\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`)
  })
  return r
}
