import type { Alert } from '@domain/alerts.ts'
import type { Messages } from '@client/i18n/zh-CN.ts'

/** Longest English alert text: two lines of the alert log at any wall size; longer ones end on a whole word. */
export const ALERT_TEXT_MAX = 110

const FEEDS: Record<string, string> = { case: 'Case', hotline: 'Work order', grid: 'Grid', service: 'Errand' }

/** At most `max` characters, cut after a whole word with "…" when longer, never inside a word. */
export function wholeWords(text: string, max = ALERT_TEXT_MAX): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max - 1)
  const space = cut.search(/\s\S*$/)
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[\s,·:;]+$/, '')}…`
}

/** "4.2×" of count over baseline, or null when there was no baseline to compare with. */
function times(count: number, baseline: number): string | null {
  return baseline >= 0.05 ? `${(count / baseline).toFixed(1)}×` : null
}

/**
 * The sentence of one alert in English, from its structured fields (the
 * server's `text` is Chinese). Region names have no English and stay as they
 * are; category names come through `categoryName`, in English where the
 * config has them. The kind of alert is shown beside this text.
 */
function englishText(a: Alert, place: string, category: string): string {
  const what = category ? ` (${category})` : ''
  switch (a.type) {
    case 'overdue':
      return `${FEEDS[a.feed ?? 'case'] ?? 'Item'} ${a.subject ?? ''}${what} is past its deadline · ${place}`
    case 'urgent':
      return `Urgent case ${a.subject ?? ''}${what} reported · ${place}`
    case 'critical': {
      const source = a.source === 'video' ? 'Video' : 'IoT'
      return `${source} critical alert${a.title ? `: ${a.title}` : ''} · ${place}`
    }
    case 'surge': {
      if (a.count === undefined) return `Intake surge in the last hour · ${place}`
      const ratio = a.baseline === undefined ? null : times(a.count, a.baseline)
      const against = ratio ? `${ratio} its baseline of ${a.baseline!.toFixed(1)}/h` : 'none in the 7 days before'
      return `${place}: ${a.count} received in the last hour, ${against}`
    }
    case 'hotspot':
      return a.count === undefined || a.hours === undefined
        ? `Repeated complaints${what} · ${place}`
        : `${a.count} complaints${what} within ${a.hours} h · ${place}`
    default:
      return [place, category, a.subject ?? ''].filter(Boolean).join(' · ')
  }
}

/**
 * What an alert says on the wall. The server writes a full Chinese sentence;
 * other languages get one built from the alert's fields.
 */
export function alertText(a: Alert, t: Messages, placeName: (code: string) => string, categoryName: (code?: string) => string): string {
  if (t.locale.startsWith('zh')) return a.text
  return wholeWords(englishText(a, placeName(a.region), categoryName(a.category)).replace(/\s+/g, ' ').trim())
}
