/** Reference data screens and integrators read: regions (GeoJSON) and categories. */
import { Router } from 'express'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { principalOf } from '../auth/authenticate.ts'

export function referenceRouter(regions: RegionIndex, categories: Categories): Router {
  const r = Router()
  // each user gets their own subtree only: a township leader never receives the city's other regions
  const bySubtree = new Map<string, string>()
  const regionsJson = (root: string) => {
    let json = bySubtree.get(root)
    if (!json) {
      json = JSON.stringify({ ...regions.collection, root, features: regions.collection.features.filter((f) => regions.within(f.properties.code, root)) })
      if (bySubtree.size > 500) bySubtree.clear()
      bySubtree.set(root, json)
    }
    return json
  }
  const { $comment: _, ...categoryTrees } = categories.config
  r.get('/api/v1/regions', (req, res) => {
    // per user: a browser handed from one leader to another must ask again (cheap: ETag → 304)
    res.type('application/geo+json').set({ 'Cache-Control': 'private, no-cache', Vary: 'Cookie, Authorization' }).send(regionsJson(principalOf(req).region))
  })
  r.get('/api/v1/categories', (_req, res) => {
    res.json(categoryTrees)
  })
  return r
}
