import type { Map as MapLibreMap, Marker } from 'maplibre-gl'
import type { Level, RegionFeature } from '@domain/regions.ts'
import type { MapEngine } from './engine/load-engine.ts'
import { labelPoint } from './region-bounds.ts'
import { placeLabels, type Box } from './label-collision.ts'

/** Levels named everywhere; the focused region's children are named besides (its villages, its grids). */
export const LABELLED_LEVELS: readonly Level[] = ['district', 'township']
/** Elements on the map's stage that labels must keep clear of (the legend). */
export const OBSTACLE_SELECTOR = '[data-map-obstacle]'

export interface RegionLabels {
  /** Name exactly these regions, most important first: a label that would overlap an earlier one hides. */
  show(features: readonly RegionFeature[]): void
  count(): number
  /** How many labels are visible now (not hidden by a collision or off the map). */
  visibleCount(): number
  remove(): void
}

interface Label { marker: Marker; el: HTMLElement }

/**
 * Region names as DOM markers: the style has no glyphs (nothing may be
 * fetched), so symbol layers cannot draw text. A few dozen markers are cheap;
 * a change of focus adds and removes only the difference. After every move a
 * greedy pass hides the labels that would overlap a more important one, so
 * names of the level below appear as the map zooms in.
 */
export function regionLabels(engine: MapEngine, map: MapLibreMap): RegionLabels {
  const labels = new Map<string, Label>()
  let order: string[] = []
  let frame = 0
  let visible = 0

  function declutter() {
    frame = 0
    const container = map.getContainer()
    const stage = container.parentElement
    const obstacles: Box[] = [...(stage?.querySelectorAll<HTMLElement>(OBSTACLE_SELECTOR) ?? [])].map((el) => ({
      x0: el.offsetLeft, y0: el.offsetTop, x1: el.offsetLeft + el.offsetWidth, y1: el.offsetTop + el.offsetHeight,
    }))
    // read every size first, then write: one layout, not one per label
    const wanted = order.flatMap((code) => {
      const l = labels.get(code)
      if (!l) return []
      const p = map.project(l.marker.getLngLat())
      return [{ l, x: p.x, y: p.y, w: l.el.offsetWidth, h: l.el.offsetHeight }]
    })
    const shown = placeLabels(wanted, { width: container.clientWidth, height: container.clientHeight }, obstacles)
    visible = 0
    wanted.forEach(({ l }, i) => {
      l.el.classList.toggle('wall-map-label--hidden', !shown[i])
      if (shown[i]) visible++
    })
  }
  const schedule = () => { frame ||= requestAnimationFrame(declutter) }
  map.on('move', schedule)
  map.on('resize', schedule)

  return {
    show(features) {
      const wanted = new Set(features.map((f) => f.properties.code))
      for (const [code, l] of labels) {
        if (wanted.has(code)) continue
        l.marker.remove()
        labels.delete(code)
      }
      for (const f of features) {
        if (labels.has(f.properties.code)) continue
        const el = document.createElement('div')
        el.className = `wall-map-label wall-map-label--${f.properties.level} wall-map-label--hidden`
        el.textContent = f.properties.name
        el.dataset.code = f.properties.code
        labels.set(f.properties.code, { el, marker: engine.createMarker(el).setLngLat(labelPoint(f)).addTo(map) })
      }
      order = features.map((f) => f.properties.code)
      schedule()
    },
    count: () => labels.size,
    visibleCount: () => visible,
    remove() {
      if (frame) cancelAnimationFrame(frame)
      map.off('move', schedule)
      map.off('resize', schedule)
      for (const l of labels.values()) l.marker.remove()
      labels.clear()
    },
  }
}
