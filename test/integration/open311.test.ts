// Open311 GeoReport v2 conformance: every endpoint in JSON and XML, the error
// shapes, a POST round trip that reaches the wall's snapshot and GET requests,
// and open311:pull against a fake GeoReport server started here on port 0.
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { pollOnce } from '../../server/cli/open311-pull.ts'
import { escapeXml, toXml } from '../../server/open311/xml.ts'
import { keys } from '../../server/store/keys.ts'
import { GRID } from '../support/events-factory.ts'
import { interiorPoint } from '../support/interior-point.ts'
import { apiFetch, freshRedisUrl, INGEST_KEY, startTestServer } from '../support/test-server.ts'

let server: Running
const O311 = keys('live').open311Requests
let base: string
const regions = loadRegions()
const gridFeature = regions.collection.features.find((f) => f.properties.code === GRID)!
const [lon, lat] = interiorPoint(gridFeature.geometry as never)

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  base = `${server.url}/open311/v2`
})
afterAll(async () => {
  await server?.stop()
})

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const postForm = (format: string, fields: Record<string, string>) => fetch(`${base}/requests.${format}`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields),
})
const submit = async (fields: Record<string, string> = {}) => {
  const res = await postForm('json', { api_key: INGEST_KEY, service_code: 'city.sanitation', lat: String(lat), long: String(lon), description: '垃圾满溢 <桶>', ...fields })
  expect(res.status).toBe(201)
  return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id
}

describe('the XML writer', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;')
    expect(toXml('errors', 'error', [{ code: 400, description: '<x>' }])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>400</code><description>&lt;x&gt;</description></error></errors>')
  })
})

describe('GET services', () => {
  it('lists the case categories in JSON', async () => {
    const res = await fetch(`${base}/services.json`)
    expect(res.status).toBe(200)
    const list = (await res.json()) as Record<string, unknown>[]
    const s = list.find((x) => x.service_code === 'city.sanitation')!
    expect(s).toMatchObject({ metadata: false, type: 'realtime' })
    expect(typeof s.service_name).toBe('string')
    expect(typeof s.group).toBe('string')
    expect(list.every((x) => typeof x.keywords === 'string' && typeof x.description === 'string')).toBe(true)
  })
  it('lists the same services in XML', async () => {
    const res = await fetch(`${base}/services.xml`)
    expect(res.headers.get('content-type')).toMatch(/application\/xml/)
    const xml = await res.text()
    const json = (await (await fetch(`${base}/services.json`)).json()) as unknown[]
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services><service><service_code>')).toBe(true)
    expect(xml.match(/<service>/g)?.length).toBe(json.length)
    expect(xml).toContain('<service_code>city.sanitation</service_code>')
    expect(xml).toContain('<metadata>false</metadata><type>realtime</type>')
  })
})

describe('POST requests', () => {
  it('lands on the wall and in GET requests (JSON round trip); contact fields are not echoed or stored', async () => {
    const res = await postForm('json', {
      api_key: INGEST_KEY, service_code: 'city.sanitation', lat: String(lat), long: String(lon), description: '路边垃圾桶满溢',
      email: 'someone@example.com', phone: '13812341234', first_name: '张', account_id: 'acct-7', 'attribute[foo]': 'bar',
    })
    expect(res.status).toBe(201)
    const [answer] = (await res.json()) as { service_request_id: string; service_notice?: string; account_id?: string }[]
    expect(answer!.service_request_id).toMatch(/^O311-\d{8}-[0-9a-f]{10}$/)
    expect(answer!.account_id).toBe('acct-7')
    const id = answer!.service_request_id

    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${GRID}`)).json()) as Snapshot
    expect(snap.events.some((e) => e.subject === id && e.type === 'reported' && e.feed === 'case')).toBe(true)

    const list = (await (await fetch(`${base}/requests.json?api_key=${INGEST_KEY}`)).json()) as Record<string, unknown>[]
    const mine = list.find((r) => r.service_request_id === id)!
    expect(mine).toMatchObject({ status: 'open', service_code: 'city.sanitation', description: '路边垃圾桶满溢', lat, long: lon, status_notes: '上报 (reported)' })
    expect(mine.address).toContain(regions.get(GRID)!.name)
    expect(Date.parse(String(mine.requested_datetime))).toBeGreaterThan(0)
    const stored = JSON.stringify(await server.store.hgetall(O311)) + JSON.stringify(await server.store.hgetall(keys('live').subject('case', id)))
    expect(stored).not.toMatch(/13812341234|someone@example|acct-7/)
  })
  it('answers in XML too, and an address_string alone is placed by the region it names', async () => {
    const township = regions.get(regions.chain(GRID)[2]!)! // grid → village → township
    const res = await postForm('xml', { api_key: INGEST_KEY, service_code: 'city.sanitation', address_string: `${township.name} 某路 12 号` })
    expect(res.status).toBe(201)
    const xml = await res.text()
    const id = /<service_request_id>([^<]+)<\/service_request_id>/.exec(xml)![1]!
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<service_requests><request><service_request_id>O311-/)
    const one = (await (await fetch(`${base}/requests/${id}.json?api_key=${INGEST_KEY}`)).json()) as Record<string, unknown>[]
    expect(String(one[0]!.address)).toContain(township.name)
    expect(one[0]!.lat).toBeUndefined()
  })
})

describe('GET requests', () => {
  let id: string
  let closedId: string
  beforeAll(async () => {
    id = await submit()
    closedId = await submit()
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `x-${closedId}-closed`, feed: 'case', type: 'closed', subject: closedId, at: new Date().toISOString(), attrs: {} }),
    })
    expect(((await res.json()) as { accepted: number }).accepted).toBe(1)
  })
  it('maps the lifecycle to open/closed and filters by status', async () => {
    const closed = (await (await fetch(`${base}/requests.json?api_key=${INGEST_KEY}&status=closed`)).json()) as Record<string, unknown>[]
    expect(closed.map((r) => r.service_request_id)).toEqual([closedId])
    expect(closed[0]!.status_notes).toBe('结案 (closed)')
    const open = (await (await fetch(`${base}/requests.json?api_key=${INGEST_KEY}&status=open`)).json()) as Record<string, unknown>[]
    expect(open.map((r) => r.service_request_id)).toContain(id)
    expect(open.every((r) => r.status === 'open')).toBe(true)
  })
  it('filters by service_request_id list, service_code and date window', async () => {
    const byIds = (await (await fetch(`${base}/requests.json?api_key=${INGEST_KEY}&service_request_id=${id},${closedId},O311-none`)).json()) as Record<string, unknown>[]
    expect(byIds.map((r) => r.service_request_id).sort()).toEqual([id, closedId].sort())
    const other = (await (await fetch(`${base}/requests.json?api_key=${INGEST_KEY}&service_code=no.such`)).json()) as unknown[]
    expect(other).toEqual([])
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString()
    const older = new Date(Date.now() - 60 * 86_400_000).toISOString()
    const none = (await (await fetch(`${base}/requests.json?api_key=${INGEST_KEY}&start_date=${older}&end_date=${old}`)).json()) as unknown[]
    expect(none).toEqual([])
  })
  it('answers the list and one request in XML', async () => {
    const xml = await (await fetch(`${base}/requests.xml?api_key=${INGEST_KEY}&service_request_id=${closedId}`)).text()
    expect(xml).toContain(`<service_request_id>${closedId}</service_request_id><status>closed</status>`)
    const one = await (await fetch(`${base}/requests/${id}.xml?api_key=${INGEST_KEY}`)).text()
    expect(one.match(/<request>/g)?.length).toBe(1)
    expect(one).toContain('<description>垃圾满溢 &lt;桶&gt;</description>')
  })
  it('is readable with a session instead of an api_key', async () => {
    const res = await apiFetch(`${base}/requests/${id}.json`)
    expect(res.status).toBe(200)
  })
})

describe('errors', () => {
  const expectError = async (res: Response, status: number, format: 'json' | 'xml', text: RegExp) => {
    expect(res.status).toBe(status)
    if (format === 'json') {
      const body = (await res.json()) as { code: number; description: string }[]
      expect(body).toHaveLength(1)
      expect(body[0]!.code).toBe(status)
      expect(body[0]!.description).toMatch(text)
    } else {
      const xml = await res.text()
      expect(xml).toMatch(new RegExp(`^<\\?xml version="1.0" encoding="utf-8"\\?>\\n<errors><error><code>${status}</code><description>[^<]+</description></error></errors>$`))
      expect(xml).toMatch(text)
    }
  }
  for (const f of ['json', 'xml'] as const) {
    it(`403 without or with a wrong api_key (${f}), and nothing lands`, async () => {
      const before = await server.store.hlen(O311)
      await expectError(await postForm(f, { service_code: 'city.sanitation', lat: String(lat), long: String(lon) }), 403, f, /api_key/)
      await expectError(await postForm(f, { api_key: 'wrong', service_code: 'city.sanitation', lat: String(lat), long: String(lon) }), 403, f, /api_key/)
      await expectError(await fetch(`${base}/requests.${f}`), 403, f, /api_key/)
      expect(await server.store.hlen(O311)).toBe(before)
    })
    it(`400 for a bad request (${f})`, async () => {
      const before = await server.store.hlen(O311)
      await expectError(await postForm(f, { api_key: INGEST_KEY, lat: String(lat), long: String(lon) }), 400, f, /service_code is required/)
      await expectError(await postForm(f, { api_key: INGEST_KEY, service_code: 'no.such', lat: String(lat), long: String(lon) }), 400, f, /not a known service/)
      await expectError(await postForm(f, { api_key: INGEST_KEY, service_code: 'city.sanitation' }), 400, f, /location is required/)
      await expectError(await postForm(f, { api_key: INGEST_KEY, service_code: 'city.sanitation', lat: '0', long: '0' }), 400, f, /region|outside/i)
      await expectError(await fetch(`${base}/requests.${f}?api_key=${INGEST_KEY}&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`), 400, f, /90 days/)
      await expectError(await fetch(`${base}/requests.${f}?api_key=${INGEST_KEY}&status=pending`), 400, f, /open or closed/)
      expect(await server.store.hlen(O311)).toBe(before)
    })
    it(`404 for an unknown request or route (${f})`, async () => {
      await expectError(await fetch(`${base}/requests/O311-nope.${f}?api_key=${INGEST_KEY}`), 404, f, /no service request O311-nope/)
      await expectError(await fetch(`${base}/nothing.${f}`), 404, f, /no route/)
    })
  }
})

describe('open311:pull', () => {
  let fake: Server
  let remote: Record<string, unknown>[]
  const asked: URLSearchParams[] = []
  beforeAll(async () => {
    const t = Date.now() - 3_600_000
    remote = [
      { service_request_id: 'R1', status: 'open', service_code: 'pothole', requested_datetime: new Date(t).toISOString(), updated_datetime: new Date(t).toISOString(), lat, long: lon },
      { service_request_id: 'R2', status: 'open', service_code: 'trash', requested_datetime: new Date(t + 1000).toISOString(), updated_datetime: new Date(t + 1000).toISOString(), lat, long: lon },
    ]
    fake = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x')
      asked.push(u.searchParams)
      if (u.pathname !== '/open311/v2/requests.json') return void res.writeHead(404).end('[]')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(remote))
    })
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r))
  })
  afterAll(() => new Promise<void>((r) => fake.close(() => r())))

  it('ingests new requests once, then a closed one as one closed event (command line, then a second poll)', async () => {
    const url = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/open311/v2`
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString()
    const args = ['server/cli/open311-pull.ts', '--url', url, '--jurisdiction', 'demo.city', '--key', 'remote-key', '--since', since,
      '--map', 'pothole=city.sanitation,trash=city.sanitation', '--target', server.url, '--ingest-key', INGEST_KEY, '--once']
    const { stdout } = await promisify(execFile)('npx', ['tsx', ...args], { cwd: process.cwd() })
    expect(stdout).toMatch(/poll 1: 2 requests fetched, 2 events accepted, 0 duplicates, 0 rejected/)
    expect(asked.at(-1)!.get('jurisdiction_id')).toBe('demo.city')
    expect(asked.at(-1)!.get('api_key')).toBe('remote-key')

    remote[1] = { ...remote[1], status: 'closed', updated_datetime: new Date().toISOString() }
    const lines: string[] = []
    const r = await pollOnce({ url, jurisdiction: 'demo.city', since: Date.parse(since), target: server.url, ingestKey: INGEST_KEY, categories: { pothole: 'city.sanitation', trash: 'city.sanitation' } }, Date.now(), (l) => lines.push(l))
    expect(r).toMatchObject({ fetched: 2, accepted: 1, duplicates: 2, rejected: [] })
    expect(lines.length).toBe(1)
    const subj = (await (await apiFetch(`${server.url}/api/v1/subjects/case/O311-demo.city-R2`)).json()) as { state: string }
    expect(subj.state).toBe('CLOSED')
  }, 60_000)
})
