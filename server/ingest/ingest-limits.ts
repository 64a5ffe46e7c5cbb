/** The ingest bounds of DESIGN §4 as named settings from the environment, each with its default. */
import { DEFAULT_EVENT_BOUNDS, type EventBounds } from '../domain/event-bounds.ts'

const NAMES: Record<keyof EventBounds, string> = {
  maxItems: 'INGEST_MAX_ITEMS',
  attrsMaxBytes: 'INGEST_ATTRS_MAX_BYTES',
  attrsMaxDepth: 'INGEST_ATTRS_MAX_DEPTH',
  stringMaxChars: 'INGEST_STRING_MAX_CHARS',
  pastDays: 'INGEST_PAST_DAYS',
  futureDays: 'INGEST_FUTURE_DAYS',
}

/** Read INGEST_MAX_ITEMS, INGEST_ATTRS_MAX_BYTES, … (whole numbers ≥ 1); defaults from DEFAULT_EVENT_BOUNDS. */
export function ingestBoundsFromEnv(env: NodeJS.ProcessEnv): EventBounds {
  const bounds = { ...DEFAULT_EVENT_BOUNDS }
  for (const [field, name] of Object.entries(NAMES) as [keyof EventBounds, string][]) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}="${raw}" must be a whole number ≥ 1 (default ${DEFAULT_EVENT_BOUNDS[field]})`)
    bounds[field] = n
  }
  return bounds
}
