// The wall's alert sentences in English, built from each alert kind's fields
// by the same builders the server uses, and cut only after whole words.
import { describe, expect, it } from 'vitest'
import { criticalAlert, hotspotAlert, overdueAlert, surgeAlert, urgentCaseAlert, ALERT_TYPES, type Alert } from '@domain/alerts.ts'
import { ALERT_TEXT_MAX, alertText, wholeWords } from '@client/components/alerts/alert-text.ts'
import { en } from '@client/i18n/en.ts'
import { zhCN } from '@client/i18n/zh-CN.ts'

const PLACE = '老城路街道'
const placeName = (code: string) => (code.startsWith('6504') ? PLACE : code)
const NAMES: Record<string, string> = { 'city.sanitation': 'Sanitation', 'hl.utilities.water': 'Water supply' }
const categoryName = (code?: string) => (code ? (NAMES[code] ?? code) : '')
const english = (a: Alert) => alertText(a, en, placeName, categoryName)
const at = Date.parse('2026-11-21T09:15:00+08:00')
const CJK = /[\u3400-\u9fff]/g

const every: Record<(typeof ALERT_TYPES)[number], Alert> = {
  overdue: overdueAlert({
    feed: 'hotline', subject: 'HL20261121000123', deadline: at, region: '650402001', place: PLACE,
    category: 'hl.utilities.water', categoryName: '供水', zone: 'Asia/Shanghai',
  }),
  urgent: urgentCaseAlert({ subject: 'C-7', at, region: '650402001', place: PLACE, category: 'city.sanitation', categoryName: '环境卫生' }),
  critical: criticalAlert({ eventId: 'iot-1', at, region: '650402001', place: PLACE, title: 'Smoke detector', source: 'video' }),
  surge: surgeAlert({ township: '650402001', hour: 9, at, place: PLACE, count: 42, baseline: 3.5 }),
  hotspot: hotspotAlert({ grid: '650402001001001', category: 'hl.utilities.water', categoryName: '供水', day: 1, at, place: PLACE, count: 4, hours: 24 }),
}

describe('alert texts in English', () => {
  it('says each kind with its facts, in English but for the place name', () => {
    expect(english(every.overdue)).toBe(`Work order HL20261121000123 (Water supply) is past its deadline · ${PLACE}`)
    expect(english(every.urgent)).toBe(`Urgent case C-7 (Sanitation) reported · ${PLACE}`)
    expect(english(every.critical)).toBe(`Video critical alert: Smoke detector · ${PLACE}`)
    expect(english(every.surge)).toBe(`${PLACE}: 42 received in the last hour, 12.0× its baseline of 3.5/h`)
    expect(english(every.hotspot)).toBe(`4 complaints (Water supply) within 24 h · ${PLACE}`)
    for (const type of ALERT_TYPES) {
      const text = english(every[type])
      expect(text.replace(PLACE, '').match(CJK), `${type}: ${text}`).toBeNull()
      expect(text.length).toBeLessThanOrEqual(ALERT_TEXT_MAX)
    }
  })

  it('covers the variants: an IoT alert without a title, a surge with no baseline, an overdue case', () => {
    expect(english(criticalAlert({ eventId: 'iot-2', at, region: '650402001', place: PLACE }))).toBe(`IoT critical alert · ${PLACE}`)
    expect(english(surgeAlert({ township: '650402001', hour: 9, at, place: PLACE, count: 9, baseline: 0 })))
      .toBe(`${PLACE}: 9 received in the last hour, none in the 7 days before`)
    expect(english(overdueAlert({ feed: 'case', subject: 'C-9', deadline: at, region: '650402001', place: PLACE, zone: 'Asia/Shanghai' })))
      .toBe(`Case C-9 is past its deadline · ${PLACE}`)
  })

  it('still says something for an alert stored before it carried its facts', () => {
    const { count: _c, baseline: _b, ...oldSurge } = every.surge
    const { count: _n, hours: _h, ...oldHotspot } = every.hotspot
    expect(english(oldSurge)).toBe(`Intake surge in the last hour · ${PLACE}`)
    expect(english(oldHotspot)).toBe(`Repeated complaints (Water supply) · ${PLACE}`)
  })

  it('keeps the server\'s Chinese sentence in Chinese', () => {
    for (const type of ALERT_TYPES) expect(alertText(every[type], zhCN, placeName, categoryName)).toBe(every[type].text)
  })
})

describe('wholeWords', () => {
  it('leaves short text alone and cuts long text after a whole word', () => {
    expect(wholeWords('Smoke detector', 20)).toBe('Smoke detector')
    expect(wholeWords('Critical alert: smoke detector in the basement', 30)).toBe('Critical alert: smoke…')
    const long = english({ ...every.critical, title: 'Temperature sensor reports overheating in the transformer room of the north residential building' })
    expect(long.endsWith('…')).toBe(true)
    expect(long.length).toBeLessThanOrEqual(ALERT_TEXT_MAX)
    const kept = long.slice(0, -1).split(' ')
    const source = 'Video critical alert: Temperature sensor reports overheating in the transformer room of the north residential building'.split(' ')
    expect(source.slice(0, kept.length)).toEqual(kept) // every word shown is whole
  })

  it('cuts a single word longer than the limit rather than overflow', () => {
    expect(wholeWords('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`)
  })
})
