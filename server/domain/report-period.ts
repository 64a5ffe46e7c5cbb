/**
 * The periods of a 日报 (DESIGN §6 counts are per region per day, so any
 * period is a run of calendar days): a day against the day before, a week (7
 * days ending on the date) against the 7 before, a calendar month against the
 * previous month. Calendar arithmetic on yyyymmdd keys, no zone involved.
 */
import { BadRequestError } from './errors.ts'

export const REPORT_PERIODS = ['day', 'week', 'month'] as const
export type ReportPeriod = (typeof REPORT_PERIODS)[number]

export interface ReportSpan {
  /** Day keys yyyymmdd, oldest first. */
  days: string[]
  from: string
  to: string
}
export interface ReportSpans { current: ReportSpan; previous: ReportSpan }

const toKey = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '')
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d))

/** Parse `YYYY-MM-DD` (a real calendar date) into a day key yyyymmdd; a clear error otherwise. */
export function parseReportDate(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  const d = m ? utc(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null
  if (!m || !d || toKey(d) !== `${m[1]}${m[2]}${m[3]}`) throw new BadRequestError(`date must be YYYY-MM-DD, a real calendar date; got ${JSON.stringify(s)}`)
  return toKey(d)
}

/** Check a period name. */
export function parseReportPeriod(s: unknown): ReportPeriod {
  if (typeof s === 'string' && (REPORT_PERIODS as readonly string[]).includes(s)) return s as ReportPeriod
  throw new BadRequestError(`period must be one of ${REPORT_PERIODS.join(', ')}`)
}

function span(start: Date, n: number): ReportSpan {
  const days = Array.from({ length: n }, (_, i) => toKey(utc(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + i)))
  return { days, from: days[0]!, to: days[days.length - 1]! }
}

/** The days of the period ending on (or, for a month, containing) `day`, and of the period before it. */
export function reportSpans(day: string, period: ReportPeriod): ReportSpans {
  const [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))]
  if (period === 'day') return { current: span(utc(y, m, d), 1), previous: span(utc(y, m, d - 1), 1) }
  if (period === 'week') return { current: span(utc(y, m, d - 6), 7), previous: span(utc(y, m, d - 13), 7) }
  const daysIn = (yy: number, mm: number) => utc(yy, mm + 1, 0).getUTCDate()
  const prev = utc(y, m - 1, 1)
  return { current: span(utc(y, m, 1), daysIn(y, m)), previous: span(prev, daysIn(prev.getUTCFullYear(), prev.getUTCMonth())) }
}
