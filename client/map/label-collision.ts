/** A screen rectangle in the map container's pixels. */
export interface Box { x0: number; y0: number; x1: number; y1: number }
/** A label centred on (x, y), w × h pixels. */
export interface LabelSpot { x: number; y: number; w: number; h: number }

/** Clear space kept around each label (also absorbs the engine's pixel rounding of markers). */
const GAP = 3

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1

/**
 * Greedy label placement: in the order given (most important first), a label shows when it lies
 * wholly inside the view and clear of every obstacle and every label already shown.
 * Returns, per label, whether it shows.
 */
export function placeLabels(spots: readonly LabelSpot[], view: { width: number; height: number }, obstacles: readonly Box[] = []): boolean[] {
  const taken: Box[] = [...obstacles]
  return spots.map(({ x, y, w, h }) => {
    if (w === 0 || h === 0) return false
    const box = { x0: x - w / 2 - GAP, y0: y - h / 2 - GAP, x1: x + w / 2 + GAP, y1: y + h / 2 + GAP }
    if (box.x0 < 0 || box.y0 < 0 || box.x1 > view.width || box.y1 > view.height) return false
    if (taken.some((t) => overlaps(t, box))) return false
    taken.push(box)
    return true
  })
}
