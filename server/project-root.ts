/**
 * The project's root directory (where package.json is), whether this code runs
 * from its sources (server/…, under tsx or vitest) or compiled (dist/server/server/…):
 * config/ and dist/client are found from it in both.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

export function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir
    if (dirname(dir) === dir) throw new Error(`no project root (package.json beside config/) above ${from}`)
  }
}
