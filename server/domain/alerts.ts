/**
 * Alerts of DESIGN §6: a subject became overdue, an urgent case or a critical
 * IoT alert arrived, an intake surge in a township, a repeat hotspot. Each has
 * a region, a severity, the channel time it was first seen and a Chinese text.
 */
export const ALERT_TYPES = ['overdue', 'urgent', 'critical', 'surge', 'hotspot'] as const
export type AlertType = (typeof ALERT_TYPES)[number]
export type Severity = 'info' | 'warning' | 'critical'

export interface Alert {
  id: string // also its deduplication key: the same id is raised once
  type: AlertType
  severity: Severity
  region: string
  at: number // channel time first seen
  text: string
  feed?: 'case' | 'hotline' | 'grid' | 'service'
  subject?: string
  category?: string
  // the facts behind `text`, so a screen in another language can say the same (client/components/alerts/alert-text.ts)
  source?: string // critical: iot | video
  title?: string // critical: the device's own words
  count?: number // surge: intake in the last hour; hotspot: complaints in the window
  baseline?: number // surge: per hour, over the last 7 days
  hours?: number // hotspot: the window
}

export type AlertState = 'active' | 'resolved' | 'acknowledged'
export interface AlertUpdate { state: AlertState; alert: Alert }

const FEED_NAME = { case: '案件', hotline: '工单', grid: '告警', service: '代办事项' } as const

const formatters = new Map<string, Intl.DateTimeFormat>()
/** Month, day and time in the channel's zone; formatters are costly to build, so one per zone. */
function hhmm(ms: number, zone: string): string {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('zh-CN', { timeZone: zone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    formatters.set(zone, f)
  }
  return f.format(ms)
}

/** An open case, work order or 代办 errand passed its deadline. */
export function overdueAlert(o: {
  feed: 'case' | 'hotline' | 'service'; subject: string; deadline: number; region: string; place: string; category?: string; categoryName?: string; zone: string
}): Alert {
  const what = o.categoryName ? `（${o.categoryName}）` : ''
  return {
    id: `overdue:${o.feed}:${o.subject}:${o.deadline}`, type: 'overdue', severity: 'warning', region: o.region, at: o.deadline,
    feed: o.feed, subject: o.subject, category: o.category,
    text: `${FEED_NAME[o.feed]} ${o.subject}${what}已超期，办理时限 ${hhmm(o.deadline, o.zone)}，${o.place}`,
  }
}

/** An urgent case was reported. */
export function urgentCaseAlert(o: { subject: string; at: number; region: string; place: string; category?: string; categoryName?: string }): Alert {
  return {
    id: `urgent:case:${o.subject}`, type: 'urgent', severity: 'warning', region: o.region, at: o.at,
    feed: 'case', subject: o.subject, category: o.category,
    text: `紧急案件 ${o.subject}${o.categoryName ? `（${o.categoryName}）` : ''}，${o.place}`,
  }
}

/** A critical IoT or video alert arrived from the grid. */
export function criticalAlert(o: { eventId: string; at: number; region: string; place: string; title?: string; source?: string }): Alert {
  const src = o.source === 'video' ? '视频' : '物联'
  return {
    id: `critical:${o.eventId}`, type: 'critical', severity: 'critical', region: o.region, at: o.at, feed: 'grid',
    ...(o.source && { source: o.source }), ...(o.title && { title: o.title }),
    text: `${src}严重告警${o.title ? `：${o.title}` : ''}，${o.place}`,
  }
}

/** Intake in a township's last hour far above its baseline (or with no history yet, above the minimum). */
export function surgeAlert(o: { township: string; hour: number; at: number; place: string; count: number; baseline: number }): Alert {
  const against = o.baseline >= 0.05
    ? `为基线 ${o.baseline.toFixed(1)} 件/时的 ${(o.count / o.baseline).toFixed(1)} 倍`
    : '此前 7 天无受理记录'
  return {
    id: `surge:${o.township}:${o.hour}`, type: 'surge', severity: 'warning', region: o.township, at: o.at,
    count: o.count, baseline: o.baseline,
    text: `${o.place} 近一小时受理 ${o.count} 件，${against}`,
  }
}

/** Repeated complaints of one category in one grid within the window. */
export function hotspotAlert(o: { grid: string; category: string; categoryName?: string; day: number; at: number; place: string; count: number; hours: number }): Alert {
  return {
    id: `hotspot:${o.grid}:${o.category}:${o.day}`, type: 'hotspot', severity: 'warning', region: o.grid, at: o.at, category: o.category,
    count: o.count, hours: o.hours,
    text: `重复投诉热点：${o.place} ${o.hours} 小时内 ${o.count} 起「${o.categoryName ?? o.category}」投诉`,
  }
}
