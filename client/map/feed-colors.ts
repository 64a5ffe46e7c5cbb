import type { Feed } from '@domain/lifecycles.ts'

/** One colour per feed, shared by map points, the legend and ticker rows. */
export const FEED_COLORS: Record<Feed, string> = {
  case: '#fbbf24',
  hotline: '#38bdf8',
  grid: '#34d399',
  service: '#c084fc',
}
/** Critical IoT/video alerts stand out whatever their feed. */
export const CRITICAL_COLOR = '#f43f5e'
