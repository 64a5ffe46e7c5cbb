/** Read a JSON config file, with the path in the error when it cannot be read or parsed. */
import { readFileSync } from 'node:fs'

export function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err })
  }
}
