import type { OverdueItem } from '@domain/protocol.ts'

/** At most this many pulsing markers: CSS animations are cheap, but a wall must not turn into a light show. */
export const MAX_OVERDUE_MARKERS = 20

export interface OverdueSpot { region: string; at: [number, number]; count: number }

/**
 * Overdue items carry no location: each goes to the centroid of its region
 * (usually a grid), and items of one region share a marker with a count.
 * Items are most overdue first, so the cap keeps the worst places.
 */
export function overdueSpots(items: readonly OverdueItem[], centroid: (code: string) => [number, number] | undefined): OverdueSpot[] {
  const spots = new Map<string, OverdueSpot>()
  for (const item of items) {
    const spot = spots.get(item.region)
    if (spot) {
      spot.count++
      continue
    }
    if (spots.size === MAX_OVERDUE_MARKERS) continue
    const at = centroid(item.region)
    if (at) spots.set(item.region, { region: item.region, at, count: 1 })
  }
  return [...spots.values()]
}

/** The marker's element: a pulsing ring (CSS, see WallMap.vue) around a dot, and the count when more than one. */
export function overdueElement(): HTMLElement {
  const el = document.createElement('div')
  el.className = 'wall-map-overdue'
  el.dataset.testid = 'overdue-marker'
  el.innerHTML = '<span class="wall-map-overdue__pulse"></span><span class="wall-map-overdue__dot"></span><b class="wall-map-overdue__count"></b>'
  return el
}

export function setOverdueCount(el: HTMLElement, count: number) {
  el.dataset.count = String(count)
  el.querySelector('b')!.textContent = count > 1 ? String(count) : ''
}
