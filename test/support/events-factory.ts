// Small builders of valid events for tests, in Asia/Shanghai time.
const iso = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00')

export const GRID = '650402001001001' // a grid of 老城路街道, 高昌区
export const now = () => Date.now()

export function caseReported(subject: string, at = now(), region = GRID, category = 'city.sanitation') {
  return { id: `case-${subject}-reported`, feed: 'case', type: 'reported', subject, at: iso(at), region, category, attrs: { source: 'grid' } }
}
export function caseStep(subject: string, type: string, at = now(), attrs: Record<string, unknown> = {}) {
  return { id: `case-${subject}-${type}`, feed: 'case', type, subject, at: iso(at), attrs }
}
export function hotlineReceived(subject: string, at = now(), region = GRID) {
  return { id: `hl-${subject}-received`, feed: 'hotline', type: 'received', subject, at: iso(at), region, category: 'hl.utilities.water', attrs: { kind: 'help' } }
}
export { iso }
