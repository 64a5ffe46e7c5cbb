/** Reference data screens and integrators read: regions (GeoJSON) and categories. */
import { Router } from 'express'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { principalOf } from '../auth/authenticate.ts'
import { pickCoding } from './compress.ts'
import { regionDocument, type RegionDocument } from './region-document.ts'

export function referenceRouter(regions: RegionIndex, categories: Categories): Router {
  const r = Router()
  // each user gets their own subtree only: a township leader never receives the city's other regions
  const bySubtree = new Map<string, RegionDocument>()
  const regionsOf = (root: string) => {
    let doc = bySubtree.get(root)
    if (!doc) {
      doc = regionDocument(JSON.stringify({ ...regions.collection, root, features: regions.collection.features.filter((f) => regions.within(f.properties.code, root)) }))
      if (bySubtree.size > 500) bySubtree.clear()
      bySubtree.set(root, doc)
    }
    return doc
  }
  // most walls show the whole tree: its compressed twins are made before the first wall asks
  void regionsOf(regions.root.code).body('br')
  const { $comment: _, ...categoryTrees } = categories.config
  r.get('/api/v1/regions', async (req, res) => {
    // per user: a browser handed from one leader to another must ask again (cheap: ETag → 304);
    // the ETag is of the scope's bytes, so two scopes never share one
    const doc = regionsOf(principalOf(req).region)
    const coding = pickCoding(req.get('accept-encoding'), ['br', 'gzip'])
    res.set({ 'Cache-Control': 'private, no-cache', Vary: 'Cookie, Authorization, Accept-Encoding', ETag: doc.etag(coding) })
    if (doc.matches(req.get('if-none-match'))) return void res.status(304).end()
    const body = await doc.body(coding)
    if (coding) res.set('Content-Encoding', coding)
    res.type('application/geo+json').send(body)
  })
  r.get('/api/v1/categories', (_req, res) => {
    res.json(categoryTrees)
  })
  return r
}
