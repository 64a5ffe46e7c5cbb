// The import CLI end to end: a real process on the fixtures in test/fixtures/regions/, writing
// into a temp folder.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it, expect } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { RegionCollection } from '../../server/domain/regions.ts'

const FIXTURES = 'test/fixtures/regions'

function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/import-regions.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })))
}

const readOut = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RegionCollection

describe('server/cli/import-regions.ts', () => {
  let out: string
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'import-regions-'))
  })
  afterEach(() => rmSync(out, { recursive: true, force: true }))

  it('prints usage with --help and refuses a call without input', async () => {
    const help = await cli('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: import-regions <file-or-folder>/)
    const none = await cli()
    expect(none.status).toBe(2)
    expect(none.stderr).toContain('import-regions: no input')
    const unknown = await cli(FIXTURES, '--levle', 'x')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain("Unknown option '--levle'")
  })

  it('imports a folder of per-level files in other dialects into a file the server loads', async () => {
    const r = await cli(join(FIXTURES, 'levels'), '--out', out)
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('checked 11 features: city 1 · district 2 · township 2 · village 3 · grid 3')
    const file = join(out, '990100-levels.geojson')
    expect(r.stdout).toContain(`wrote ${file}: 11 features`)
    const raw = readFileSync(file, 'utf8')
    expect(raw).not.toContain('\n')
    const fc = readOut(file)
    expect(fc).toMatchObject({ type: 'FeatureCollection', name: '示例市', root: '990100', attribution: 'imported from levels' })
    expect(fc.features.map((f) => f.properties.level)).toEqual(['city', 'district', 'district', 'township', 'township', 'village', 'village', 'village', 'grid', 'grid', 'grid'])
    expect(fc.features.find((f) => f.id === '990102001')?.properties).toEqual({ code: '990102001', name: '东镇', level: 'township', parent: '990102', population: 1200 })
    const index = loadRegions(file)
    expect(index.locate(100.2, 30.2)?.code).toBe('990101001001001')
    expect(index.locate(101.5, 30.5)).toMatchObject({ code: '990100' }) // in the hole of 东区
  })

  it('lists every problem with file, index and code, exits 1 and writes nothing', async () => {
    const r = await cli(join(FIXTURES, 'broken.geojson'), '--out', out)
    expect(r.status).toBe(1)
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  '))
    expect(r.stderr).toContain('6 problems; nothing written:')
    expect(lines.map((l) => /feature (\d+) \((\d+)\)/.exec(l)?.slice(1).join(' '))).toEqual([
      '2 990101', '3 990101001001', '4 990101002', '5 990101003', '6 990101004', '7 990101005',
    ])
    expect(lines.every((l) => l.startsWith(`  ${FIXTURES}/broken.geojson feature `))).toBe(true)
    expect(readdirSync(out)).toEqual([])
  })

  it('shows the first 50 problems and counts the rest', async () => {
    const features = [{ type: 'Feature', properties: { code: '990100', name: '市' }, geometry: { type: 'Point', coordinates: [0, 0] } }]
    const input = join(out, 'many.geojson')
    writeFileSync(input, JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: 60 }, () => features[0]) }))
    const r = await cli(input, '--out', join(out, 'x.geojson'))
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('119 problems; nothing written:') // 60 bad geometries, 59 duplicates
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  ') && !l.includes('… and'))).toHaveLength(50)
    expect(r.stderr).toContain('  … and 69 more')
    expect(readdirSync(out)).toEqual(['many.geojson'])
  })

  it('takes the root from --root when the source points it at its province (DataV)', async () => {
    const file = join(FIXTURES, 'datav.json')
    const refused = await cli(file, '--out', out)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain('input: no root')
    expect(refused.stderr).toContain(`${file} feature 0 (990100): parent 990000 is not in the input`)
    const r = await cli(file, '--out', out, '--root', '990100', '--slug', 'demo', '--attribution', 'DataV.GeoAtlas')
    expect(r.status).toBe(0)
    expect(readOut(join(out, '990100-demo.geojson'))).toMatchObject({ root: '990100', attribution: 'DataV.GeoAtlas' })
  })

  it('refuses to overwrite an existing file without --force', async () => {
    const file = join(out, 'regions.geojson')
    writeFileSync(file, 'old')
    const r = await cli(join(FIXTURES, 'levels'), '--out', file)
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('exists; pass --force to overwrite it')
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect((await cli(join(FIXTURES, 'levels'), '--out', file, '--force')).status).toBe(0)
    expect(readOut(file).root).toBe('990100')
  })
})
