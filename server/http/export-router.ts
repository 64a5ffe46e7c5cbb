/**
 * CSV exports for Excel (DESIGN §6 figures, in the caller's scope):
 * GET /api/v1/export/kpis.csv?region=&period=&date= — one row per child region
 * (the region itself when it has none) with every KPI, rates in percent;
 * GET /api/v1/export/open.csv?region=&overdue=1 — open (or only overdue) cases
 * and work orders. No attribute of a subject is exported, so no caller's
 * phone number can appear.
 */
import { Router, type Response } from 'express'
import { principalOf } from '../auth/authenticate.ts'
import { zonedParts } from '../domain/clock.ts'
import { BadRequestError, UnknownRegionError } from '../domain/errors.ts'
import { readOpen } from '../store/read-subjects.ts'
import { readPeriodKpis } from '../store/read-period.ts'
import { dayCountersFrom } from '../store/day-counter-expiry.ts'
import { percent, toCsv, type CsvCell } from './csv-format.ts'
import { KPI_HEADERS, PERCENT_KPIS } from './kpi-headers.ts'
import { reportRequest, type ReportDeps } from './report-data.ts'
import type { ScopeGuard } from './subjects-router.ts'

/** Most rows of open.csv (most urgent deadlines first). */
export const OPEN_EXPORT_MAX = 10_000
const FEED_NAMES: Record<string, string> = { case: '案件', hotline: '工单', service: '代办' }
const hours = (v: number | null | undefined): string => (typeof v === 'number' ? v.toFixed(1) : '')

function send(res: Response, name: string, body: string) {
  res.set('Content-Type', 'text/csv; charset=utf-8')
  res.set('Content-Disposition', `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
  res.set('Cache-Control', 'no-store')
  res.send(body)
}

export function exportRouter(d: ReportDeps, inScope: ScopeGuard): Router {
  const r = Router()
  const target = (req: Parameters<ScopeGuard>[0]) => {
    const { region, channel = 'live', date } = req.query
    if ((region !== undefined && typeof region !== 'string') || typeof channel !== 'string' || (date !== undefined && typeof date !== 'string')) {
      throw new BadRequestError('region, channel and date are single values')
    }
    const code = region || principalOf(req).region
    inScope(req, code, channel)
    if (!d.regions.get(code)) throw new UnknownRegionError(code)
    return { code, channel, date }
  }

  r.get('/api/v1/export/kpis.csv', async (req, res) => {
    const { code, channel, date } = target(req)
    const rq = reportRequest(d, channel, code, req.query.period, date)
    // a table of zeros for days whose counters are gone would read as a quiet period: refuse it with the reason
    const kept = await dayCountersFrom(d.store, rq.channel)
    if (kept && rq.spans.current.from < kept) {
      throw new BadRequestError(`日统计只保留 DAY_COUNTERS_DAYS 天，${kept} 之前的日计数已删除，无法导出该周期 (per-day counters before ${kept} have expired)`)
    }
    const children = d.regions.childrenOf(code)
    const rows = children.length > 0 ? children : [d.regions.get(code)!]
    const kpis = await readPeriodKpis(d.store, rows.map((c) => c.code), rq.spans.current.days, rq.q)
    const body = toCsv(
      ['区划代码', '名称', ...KPI_HEADERS.map(([, h]) => h)],
      rows.map((c): CsvCell[] => {
        const v = kpis.get(c.code)!.values
        return [c.code, c.name, ...KPI_HEADERS.map(([k]) => (PERCENT_KPIS.has(k) ? percent(v[k]) : k === 'serviceAvgHours' ? hours(v[k]) : v[k]))]
      }),
    )
    send(res, `指标_${code}_${rq.period}_${rq.spans.current.from}-${rq.spans.current.to}.csv`, body)
  })

  r.get('/api/v1/export/open.csv', async (req, res) => {
    const { code, channel } = target(req)
    const overdueOnly = req.query.overdue === '1' || req.query.overdue === 'true'
    const ch = d.channels.get(channel)
    const now = ch.clock.now()
    const { items } = await readOpen(d.store, ch.id, code, ['case', 'hotline'], now, OPEN_EXPORT_MAX, d.regions)
    const when = (ms: number) => {
      const p = zonedParts(ms, ch.clock.zone)
      return `${p.y}-${p.m}-${p.d} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
    }
    const names = (region: string) => d.regions.chain(region).filter((c) => d.regions.within(c, code)).reverse().map((c) => d.regions.get(c)?.name ?? c).join('/')
    const body = toCsv(
      ['类型', '编号', '类别', '区划代码', '所属区划', '状态', '办理时限', '超期小时'],
      items
        .filter((i) => !overdueOnly || i.overdue)
        .map((i): CsvCell[] => [
          FEED_NAMES[i.feed], i.subject, i.category ? (d.categories.name(i.category) ?? i.category) : '', i.region, names(i.region), i.state,
          when(i.deadline), i.overdue ? ((now - i.deadline) / 3_600_000).toFixed(1) : '',
        ]),
    )
    send(res, `${overdueOnly ? '超期' : '在办'}事项_${code}.csv`, body)
  })
  return r
}
