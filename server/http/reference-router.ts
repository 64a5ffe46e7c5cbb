/** Reference data screens and integrators read: regions (GeoJSON) and categories. */
import { Router } from 'express'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'

export function referenceRouter(regions: RegionIndex, categories: Categories): Router {
  const r = Router()
  const regionsJson = JSON.stringify(regions.collection)
  const { $comment: _, ...categoryTrees } = categories.config
  r.get('/api/v1/regions', (_req, res) => {
    res.type('application/geo+json').set('Cache-Control', 'public, max-age=300').send(regionsJson)
  })
  r.get('/api/v1/categories', (_req, res) => {
    res.json(categoryTrees)
  })
  return r
}
