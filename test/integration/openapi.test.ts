// The OpenAPI document covers every route the running app registers (read
// from the express app's own router, captured as it is created), and every
// example in it validates against the zod schema it was generated from.
import express from 'express'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { z } from 'zod'
import * as schemas from '../../server/domain/api-schemas.ts'
import { openApiPath } from '../../server/http/openapi-router.ts'
import type { Running } from '../../server/main.ts'
import { freshRedisUrl, startTestServer } from '../support/test-server.ts'

// every express app made in this process passes through application.init: keep them, to read the real app's routes
const apps: express.Express[] = []
const application = express.application as unknown as { init(this: express.Express): void }
const init = application.init
application.init = function (this: express.Express) {
  apps.push(this)
  return init.call(this)
}

interface Layer { route?: { path: string | string[] | RegExp; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } }
interface Doc {
  openapi: string
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, Media> }; responses: Record<string, { content?: Record<string, Media> }> }>>
  components: { schemas: Record<string, { examples?: unknown[] }> }
}
interface Media { schema?: { $ref: string }; example?: unknown }

/** Method and path of every route in a router stack, nested routers included. */
function routesOf(stack: Layer[], out: { method: string; path: string | RegExp }[] = []) {
  for (const l of stack) {
    if (l.route) {
      const paths = Array.isArray(l.route.path) ? l.route.path : [l.route.path]
      for (const method of Object.keys(l.route.methods)) for (const path of paths) out.push({ method, path })
    } else if (l.handle?.stack) routesOf(l.handle.stack, out)
  }
  return out
}

let server: Running
let doc: Doc
beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  const res = await fetch(`${server.url}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  doc = (await res.json()) as Doc
})
afterAll(async () => {
  await server?.stop()
})

describe('GET /api/v1/openapi.json', () => {
  it('is OpenAPI 3.1, served without a session', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.components.schemas)).toContain('event')
  })

  it('documents every route the app registers', () => {
    expect(apps).toHaveLength(1)
    const routes = routesOf((apps[0] as unknown as { router: { stack: Layer[] } }).router.stack)
    expect(routes.length).toBeGreaterThan(30)
    const api = routes.filter((r) => typeof r.path === 'string')
    // the only pattern routes are the pages and the client's history fallback, which are not API
    const patterns = routes.filter((r) => typeof r.path !== 'string').map((r) => String(r.path))
    expect(patterns.every((p) => p.includes('wall') || p.includes('socket'))).toBe(true)
    const missing = api.filter((r) => !doc.paths[openApiPath(r.path as string)]?.[r.method]).map((r) => `${r.method} ${String(r.path)}`)
    expect(missing).toEqual([])
    // and nothing documented that the app does not serve
    const served = new Set(api.map((r) => `${r.method} ${openApiPath(r.path as string)}`))
    const extra = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)).filter((k) => !served.has(k))
    expect(extra).toEqual([])
  })

  it('has examples that validate against their schemas', () => {
    const byName = schemas as unknown as Record<string, z.ZodType>
    let checked = 0
    const check = (name: string, example: unknown) => {
      const result = byName[name]!.safeParse(example)
      expect(result.success, `${name}: ${JSON.stringify(example)} ${result.error?.message ?? ''}`).toBe(true)
      checked++
    }
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        const media = [...Object.values(op.requestBody?.content ?? {}), ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}))]
        for (const m of media) if (m.schema && m.example !== undefined) check(m.schema.$ref.split('/').at(-1)!, m.example)
      }
    }
    for (const [name, json] of Object.entries(doc.components.schemas)) for (const e of json.examples ?? []) check(name, e)
    expect(checked).toBeGreaterThan(60)
  })

  it('refuses a broken example (the check can fail)', () => {
    expect(schemas.ingestResult.safeParse({ accepted: 'one' }).success).toBe(false)
    expect(schemas.open311Errors.safeParse([{ code: '403' }]).success).toBe(false)
  })
})
