/** What tests (and an engineer at a wall's console) can ask the map; tiny, so present in production builds too. */
export interface WallMapHooks {
  layers(): string[]
  featureState(code: string): Record<string, unknown> | null
  workerCount(): number
  overdueMarkers(): number
  labels(): number
  /** Labels shown now (the rest are hidden by the collision pass or lie off the map). */
  visibleLabels(): number
  /** Page rectangle that the drawn township polygons cover, clipped to the map (null before ready). */
  regionExtent(): { left: number; top: number; right: number; bottom: number } | null
  /** Screen point of a region's centre, or null before the map is ready. */
  pointOf(code: string): [number, number] | null
  engine(): string | null
}

/** What a mounted WallMap exposes to its page: whether it is drawn, and its hooks. */
export interface WallMapHandle { readonly ready: boolean; readonly hooks: WallMapHooks }

declare global {
  interface Window { __wallMap?: WallMapHooks }
}

/** Publish the hooks as `window.__wallMap`; returns the undo, which leaves a newer map's hooks alone. */
export function exposeWallMapHooks(hooks: WallMapHooks): () => void {
  window.__wallMap = hooks
  return () => {
    if (window.__wallMap === hooks) delete window.__wallMap
  }
}
