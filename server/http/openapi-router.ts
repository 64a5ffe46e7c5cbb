/**
 * GET /api/v1/openapi.json: OpenAPI 3.1 built from the route table
 * (openapi-operations.ts) and the zod schemas (z.toJSONSchema). Public: it
 * holds no data, and integrators read it before they have a session.
 */
import { Router } from 'express'
import { z } from 'zod'
import * as schemas from '../domain/api-schemas.ts'
import { OPERATIONS, type Access, type Operation } from './openapi-operations.ts'

const NAMES = new Map<z.ZodType, string>(Object.entries(schemas).map(([name, schema]) => [schema as z.ZodType, name]))

/** `/a/:id.:format` → `/a/{id}.{format}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}')

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  ingestKey: [{ ingestKey: [] }],
  user: [{ session: [] }, { sessionCookie: [] }],
  admin: [{ session: [] }, { sessionCookie: [] }],
  trainer: [{ session: [] }, { sessionCookie: [] }],
  operator: [{ session: [] }, { sessionCookie: [] }],
  operatorOnly: [{ session: [] }, { sessionCookie: [] }],
  open311Key: [{ open311Key: [] }],
  open311Read: [{ open311KeyQuery: [] }, { session: [] }, { sessionCookie: [] }],
}
const ROLE_NEEDED: Partial<Record<Access, string>> = { admin: 'admin', trainer: 'trainer', operator: 'operator or leader', operatorOnly: 'operator' }
const ERRORS: Record<number, string> = {
  400: 'bad request', 401: 'no or unknown session / key', 403: 'not allowed', 404: 'not found', 413: 'too large', 415: 'unsupported encoding', 429: 'too many attempts', 503: 'store unavailable; nothing was applied',
}

function ref(schema: z.ZodType): { $ref: string } {
  const name = NAMES.get(schema)
  if (!name) throw new Error('a schema of the route table is not exported from api-schemas.ts')
  return { $ref: `#/components/schemas/${name}` }
}
const exampleOf = (schema: z.ZodType) => (schema.meta()?.examples as unknown[] | undefined)?.[0]

function content(schema: z.ZodType | undefined, type: string) {
  if (!schema) return { [type]: {} }
  const example = exampleOf(schema)
  return { [type]: { schema: ref(schema), ...(example !== undefined ? { example } : {}) } }
}

function operation(o: Operation) {
  const isOpen311 = o.path.startsWith('/open311/')
  const errorBody = isOpen311 ? schemas.open311Errors : schemas.errorBody
  const responses: Record<string, object> = {
    [String(o.response.status ?? 200)]: { description: o.response.description ?? 'ok', content: content(o.response.schema, o.response.type ?? 'application/json') },
  }
  for (const code of o.errors ?? []) responses[String(code)] = { description: ERRORS[code] ?? 'error', content: content(errorBody, 'application/json') }
  return {
    tags: [o.tag],
    summary: o.summary,
    operationId: `${o.method}${o.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: SECURITY[o.access],
    ...(ROLE_NEEDED[o.access] ? { description: `Needs the role ${ROLE_NEEDED[o.access]} (admin may do everything).` } : {}),
    parameters: (o.params ?? []).map((p) => ({ name: p.name, in: p.in ?? 'query', required: p.in === 'path' ? true : (p.required ?? false), description: p.description, schema: p.name === 'format' ? { type: 'string', enum: ['json', 'xml'] } : { type: 'string' } })),
    ...(o.body ? { requestBody: { required: true, content: content(o.body.schema, o.body.type ?? 'application/json') } } : {}),
    responses,
  }
}

/** The whole document. */
export function openApiDocument() {
  const paths: Record<string, Record<string, object>> = {}
  for (const o of OPERATIONS) (paths[openApiPath(o.path)] ??= {})[o.method] = operation(o)
  const components = Object.fromEntries([...NAMES].map(([schema, name]) => {
    const { $schema: _drop, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
    return [name, json]
  }))
  return {
    openapi: '3.1.0',
    info: { title: '基层治理实时态势 / Situation room API', version: '1', description: 'Ingest, reads, drills, audit and Open311 GeoReport v2. The real-time socket protocol is in server/domain/protocol.ts.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      schemas: components,
      securitySchemes: {
        ingestKey: { type: 'http', scheme: 'bearer', description: 'a key of INGEST_KEYS' },
        session: { type: 'http', scheme: 'bearer', description: 'the token of POST /api/v1/auth/login, or a display token' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sr_session' },
        open311Key: { type: 'apiKey', in: 'query', name: 'api_key', description: 'a key of INGEST_KEYS, as the form field or query parameter api_key' },
        open311KeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: 'a key of INGEST_KEYS' },
      },
    },
    paths,
  }
}

export function openApiRouter(): Router {
  const r = Router()
  let doc: string | undefined
  r.get('/api/v1/openapi.json', (_req, res) => {
    doc ??= JSON.stringify(openApiDocument())
    res.type('application/json').send(doc)
  })
  return r
}
