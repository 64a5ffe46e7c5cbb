import type { Alert } from '@domain/alerts.ts'
import type { Messages } from '@client/i18n/zh-CN.ts'

/**
 * What an alert says on the wall. The server writes a full Chinese sentence;
 * other languages get one built from the alert's fields (place, category,
 * subject), since region and category names stay Chinese anyway.
 */
export function alertText(a: Alert, t: Messages, placeName: (code: string) => string, categoryName: (code?: string) => string): string {
  if (t.locale.startsWith('zh')) return a.text
  // the kind of alert is shown beside this text, so it is not repeated here
  const parts = [placeName(a.region), categoryName(a.category), a.subject ?? '']
  return parts.filter(Boolean).join(' · ')
}
