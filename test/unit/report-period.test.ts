// The days of a 日报's periods: calendar arithmetic across month and year ends and leap days.
import { expect, it } from 'vitest'
import { parseReportDate, reportSpans } from '../../server/domain/report-period.ts'

it('a day is compared with the day before, across a year end', () => {
  const s = reportSpans('20260101', 'day')
  expect([s.current.days, s.previous.days]).toEqual([['20260101'], ['20251231']])
})

it('a week is the 7 days ending on the date against the 7 before', () => {
  const s = reportSpans('20260303', 'week')
  expect(s.current).toEqual({ days: ['20260225', '20260226', '20260227', '20260228', '20260301', '20260302', '20260303'], from: '20260225', to: '20260303' })
  expect([s.previous.from, s.previous.to, s.previous.days.length]).toEqual(['20260218', '20260224', 7])
})

it('a month is its calendar month against the previous one, leap February included', () => {
  const march = reportSpans('20240315', 'month')
  expect([march.current.from, march.current.to, march.current.days.length]).toEqual(['20240301', '20240331', 31])
  expect([march.previous.from, march.previous.to, march.previous.days.length]).toEqual(['20240201', '20240229', 29])
  const jan = reportSpans('20270131', 'month')
  expect([jan.previous.from, jan.previous.to]).toEqual(['20261201', '20261231'])
})

it('takes only real calendar dates', () => {
  expect(parseReportDate('2024-02-29')).toBe('20240229')
  for (const bad of ['2025-02-29', '2026-13-01', '2026-1-5', '20260105', '', 'today']) expect(() => parseReportDate(bad)).toThrow(/YYYY-MM-DD/)
})
