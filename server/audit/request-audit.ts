/**
 * Gives every request `req.audit(action, target)`, which records who (the
 * request's principal, or the names given, for a login) did it and from
 * which address, so a router audits with one awaited line.
 */
import type { RequestHandler } from 'express'
import type { AuditLog } from './audit-log.ts'

export type AuditFn = (action: string, target: string, as?: { who: string; role: string }) => Promise<void>

declare module 'express-serve-static-core' {
  interface Request { audit?: AuditFn }
}

export function requestAudit(log: AuditLog): RequestHandler {
  return (req, _res, next) => {
    req.audit = (action, target, as) => log.record({
      who: as?.who ?? req.principal?.username ?? '', role: as?.role ?? req.principal?.role ?? '',
      address: req.ip ?? req.socket.remoteAddress ?? '', action, target,
    })
    next()
  }
}
