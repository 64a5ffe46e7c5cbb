/** GET /api/v1/report?region=&date=&period=: the data of a 日报, within the caller's scope (the snapshot route's check). */
import { Router } from 'express'
import { principalOf } from '../auth/authenticate.ts'
import { BadRequestError, UnknownRegionError } from '../domain/errors.ts'
import { readReport, reportRequest, type ReportDeps } from './report-data.ts'
import type { ScopeGuard } from './subjects-router.ts'

export function reportRouter(d: ReportDeps, inScope: ScopeGuard): Router {
  const r = Router()
  r.get('/api/v1/report', async (req, res) => {
    const { region, channel = 'live', date, period } = req.query
    if ((region !== undefined && typeof region !== 'string') || typeof channel !== 'string' || (date !== undefined && typeof date !== 'string')) {
      throw new BadRequestError('region, channel and date are single values')
    }
    const code = region || principalOf(req).region
    inScope(req, code, channel)
    if (!d.regions.get(code)) throw new UnknownRegionError(code)
    res.json(await readReport(d, reportRequest(d, channel, code, period, date)))
  })
  return r
}
