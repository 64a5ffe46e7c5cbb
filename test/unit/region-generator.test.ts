import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// The committed demo region file is exactly what config/regions/generate.ts writes, every time.
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const COMMITTED = join(ROOT, 'config/regions/650400-turpan.geojson')
const dir = mkdtempSync(join(tmpdir(), 'regions-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex')
function generate(out: string): string {
  execFileSync(process.execPath, ['--import', 'tsx', 'config/regions/generate.ts', out], { cwd: ROOT, stdio: 'pipe' })
  return sha256(out)
}

describe('config/regions/generate.ts', () => {
  it('writes byte-identical output on every run, equal to the committed file', () => {
    const first = generate(join(dir, 'a.geojson'))
    const second = generate(join(dir, 'b.geojson'))
    expect(second).toBe(first)
    expect(sha256(COMMITTED)).toBe(first)
  }, 60_000)
})
