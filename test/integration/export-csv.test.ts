// CSV exports as Excel needs them: UTF-8 with a BOM, CRLF, RFC 4180 quoting,
// Chinese headers; the KPI table has a row per child region with the values
// of the snapshot, open.csv lists open and overdue items and never a phone number.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { hashPassword } from '../../server/auth/password.ts'
import { toCsv } from '../../server/http/csv-format.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { caseReported, caseStep, hotlineReceived, iso } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, login, post, startTestServer } from '../support/test-server.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const DISTRICT = '650402' // 高昌区
const PHONE = '13912345678'
const GRIDS = ['650402001001001', '650402003001001']
let server: Running
let leader: string

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sr-users-')), 'users.json')
  writeFileSync(file, JSON.stringify({ users: [
    { username: 'leader2', name: '葡萄沟街道 李主任', role: 'leader', region: '650402003', passwordHash: await hashPassword('leader-pass-2') },
  ] }))
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: file })
  leader = await login(server.url, 'leader2', 'leader-pass-2')
  const t = Date.now() - 3 * 60_000
  const res = await post(server.url, [
    caseReported('EX-1', t, GRIDS[0]),
    caseStep('EX-1', 'registered', t + 1000, { deadline: iso(t - 3_600_000) }), // overdue by an hour
    caseReported('EX-2', t, GRIDS[0]),
    caseStep('EX-2', 'registered', t + 1000, { deadline: iso(t + 86_400_000) }),
    caseStep('EX-2', 'dispatched', t + 2000),
    caseStep('EX-2', 'disposed', t + 3000),
    caseReported('EX-3', t, GRIDS[1]),
    caseStep('EX-3', 'registered', t + 1000, { deadline: iso(t + 86_400_000) }),
    { ...hotlineReceived('EX-H1', t, GRIDS[1]), attrs: { kind: 'complaint', phone: PHONE } },
    { id: 'call-EX-C1', feed: 'hotline', type: 'call', subject: 'EX-C1', at: iso(t), region: GRIDS[1], attrs: { answered: true } },
  ])
  expect(res.body.rejected).toEqual([])
}, 60_000)
afterAll(() => server?.stop())

/** An RFC 4180 reader (quoted fields, doubled quotes, CRLF records) written for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  let quoted = false
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue }
      if (c === '"') { quoted = false; i++; continue }
      field += c; i++; continue
    }
    if (c === '"' && field === '') { quoted = true; i++; continue }
    if (c === ',') { row.push(field); field = ''; i++; continue }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue }
    if (c === '\n' || c === '\r') throw new Error(`bare line break at ${i}`)
    field += c; i++
  }
  if (field !== '' || row.length) throw new Error('last record lacks its CRLF')
  return rows
}

async function download(path: string) {
  const res = await apiFetch(`${server.url}${path}`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; .*filename\*=UTF-8''/)
  const bytes = new Uint8Array(await res.arrayBuffer())
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  expect(text.startsWith('\uFEFF')).toBe(true)
  const body = text.slice(1)
  expect(body.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/) // every line break is CRLF
  return { body, rows: parseCsv(body) }
}

it('quotes fields with commas, quotes and line breaks as RFC 4180 says', () => {
  const csv = toCsv(['名称', '备注'], [['a,b', 'say "hi"'], ['two\r\nlines', null], [3, 'plain']])
  expect(csv).toBe('\uFEFF名称,备注\r\n"a,b","say ""hi"""\r\n"two\r\nlines",\r\n3,plain\r\n')
  expect(parseCsv(csv.slice(1))).toEqual([['名称', '备注'], ['a,b', 'say "hi"'], ['two\r\nlines', ''], ['3', 'plain']])
})

it('kpis.csv: a row per child region with every KPI under a Chinese header, equal to the snapshot', async () => {
  const { rows } = await download(`/api/v1/export/kpis.csv?region=${DISTRICT}&period=day`)
  const [header, ...data] = rows
  expect(header!.slice(0, 4)).toEqual(['区划代码', '名称', '上报数', '立案数'])
  for (const h of ['处置率', '按期结案率', '满意率', '接通率', '巡查覆盖率', '案件超期', '工单在办', '在岗网格员', '告警', '代办受理量', '代办按期办结率', '代办超期']) expect(header).toContain(h)
  expect(header).toHaveLength(2 + 32 + 13) // cases, hotline, grid and now; then 代办
  const regions = (await (await apiFetch(`${server.url}/api/v1/regions`)).json()) as { features: { properties: { code: string; name: string; parent: string } }[] }
  const children = regions.features.map((f) => f.properties).filter((p) => p.parent === DISTRICT)
  expect(data.map((r) => r[0])).toEqual(children.map((c) => c.code))
  expect(data.map((r) => r[1])).toEqual(children.map((c) => c.name))
  const col = (name: string) => header!.indexOf(name)
  const pct = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '')
  for (const row of data) {
    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${row[0]}`)).json()) as Snapshot
    const k = snap.kpis.today
    expect([row[col('上报数')], row[col('立案数')], row[col('处置率')], row[col('案件在办')], row[col('案件超期')], row[col('受理量')], row[col('接通率')]])
      .toEqual([String(k.caseReported), String(k.caseRegistered), pct(k.disposalRate), String(k.caseOpen), String(k.caseOverdue), String(k.hotlineReceived), pct(k.answerRate)])
  }
  const first = data.find((r) => r[0] === '650402001')!
  expect([first[col('上报数')], first[col('处置率')], first[col('案件超期')]]).toEqual(['2', '50.0%', '1'])
})

it('open.csv: open and overdue items with names, and never a phone number', async () => {
  const open = await download(`/api/v1/export/open.csv?region=${DISTRICT}`)
  expect(open.rows[0]).toEqual(['类型', '编号', '类别', '区划代码', '所属区划', '状态', '办理时限', '超期小时'])
  const bySubject = Object.fromEntries(open.rows.slice(1).map((r) => [r[1], r]))
  expect(Object.keys(bySubject).sort()).toEqual(['EX-1', 'EX-2', 'EX-3', 'EX-H1'])
  expect(bySubject['EX-1']![0]).toBe('案件')
  expect(bySubject['EX-1']!.slice(2, 5)).toEqual(['环境卫生', GRIDS[0], '高昌区/老城路街道/葡萄园社区/葡萄园社区第1网格'])
  expect(Number(bySubject['EX-1']![7])).toBeGreaterThanOrEqual(1)
  expect(bySubject['EX-3']![7]).toBe('')
  expect(bySubject['EX-H1']![0]).toBe('工单')
  expect(open.body).not.toContain(PHONE)
  const overdue = await download(`/api/v1/export/open.csv?region=${DISTRICT}&overdue=1`)
  expect(overdue.rows.slice(1).map((r) => r[1])).toEqual(['EX-1'])
})

it('holds exports to the caller\'s scope', async () => {
  const as = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${leader}` } })
  expect((await as('/api/v1/export/kpis.csv?region=650402003')).status).toBe(200)
  for (const path of [`/api/v1/export/kpis.csv?region=${DISTRICT}`, `/api/v1/export/open.csv?region=${DISTRICT}`, `/api/v1/report?region=${DISTRICT}`]) {
    const res = await as(path)
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_REGION')
  }
  expect((await fetch(`${server.url}/api/v1/export/open.csv?region=${DISTRICT}`)).status).toBe(401)
})
