/**
 * NDJSON in and out for the simulator CLIs: write a stream of envelopes with
 * back-pressure (memory stays flat for a day of events), read a file line by
 * line with errors that name the file and line.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { Writable } from 'node:stream'
import type { EventEnvelope } from '../server/domain/events.ts'

const CHUNK = 500

/** `-` is stdout; anything else a file (created or truncated). */
export function openOutput(path: string): Writable {
  return path === '-' ? process.stdout : createWriteStream(path)
}

/** Write every event as one JSON line; `seen` is called per event (progress). Resolves when flushed. */
export async function writeNdjson(out: Writable, events: Iterable<EventEnvelope> | AsyncIterable<EventEnvelope>, seen?: (e: EventEnvelope) => void): Promise<number> {
  let lines: string[] = []
  let n = 0
  const flush = async () => {
    if (lines.length === 0) return
    const ok = out.write(lines.join('\n') + '\n')
    lines = []
    if (!ok) await once(out, 'drain')
  }
  for await (const e of events) {
    lines.push(JSON.stringify(e))
    n++
    seen?.(e)
    if (lines.length >= CHUNK) await flush()
  }
  await flush()
  if (out !== process.stdout) {
    out.end()
    await once(out, 'finish')
  }
  return n
}

/** Envelopes of an NDJSON file; blank lines are skipped, a line that is not a JSON object throws `file:line: reason`. */
export async function* readNdjson(file: string): AsyncGenerator<EventEnvelope> {
  const input = createReadStream(file, 'utf8')
  const opened = once(input, 'open')
  opened.catch(() => {})
  try {
    await Promise.race([opened, once(input, 'error').then(([err]) => { throw err })])
  } catch (err) {
    throw new Error(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err })
  }
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++
    if (text.trim() === '') continue
    let e: unknown
    try {
      e = JSON.parse(text)
    } catch (err) {
      throw new Error(`${file}:${line}: not JSON: ${(err as Error).message}`, { cause: err })
    }
    if (!e || typeof e !== 'object' || Array.isArray(e) || typeof (e as EventEnvelope).at !== 'string') {
      throw new Error(`${file}:${line}: not an event envelope (an object with an "at" time)`)
    }
    yield e as EventEnvelope
  }
}
