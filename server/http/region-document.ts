/**
 * The region GeoJSON of one scope, as sent: its bytes, a strong ETag from
 * them, and brotli and gzip twins made once (in zlib's thread pool) and kept,
 * so a wall's reload costs a 304 and a cold load ~30 KB instead of ~430 KB.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { ContentCoding } from './compress.ts'

const br = promisify(brotliCompress)
const gz = promisify(gzip)
/** Above this brotli's best quality costs seconds for ~7 % fewer bytes: one step down. */
const LARGE_BYTES = 256 * 1024

export interface RegionDocument {
  /** The ETag of the representation in `coding` (null: identity). */
  etag(coding: ContentCoding | null): string
  /** Whether an If-None-Match header names any representation of these bytes. */
  matches(ifNoneMatch: string | undefined): boolean
  body(coding: ContentCoding | null): Promise<Buffer>
}

export function regionDocument(json: string): RegionDocument {
  const identity = Buffer.from(json)
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27)
  const tags = { identity: `"${hash}"`, br: `"${hash}-br"`, gzip: `"${hash}-gz"` }
  const quality = identity.length > LARGE_BYTES ? 10 : constants.BROTLI_MAX_QUALITY
  let brotli: Promise<Buffer> | undefined
  let gzipped: Promise<Buffer> | undefined
  return {
    etag: (coding) => tags[coding ?? 'identity'],
    matches(ifNoneMatch) {
      if (!ifNoneMatch) return false
      if (ifNoneMatch.trim() === '*') return true
      // If-None-Match compares weakly (RFC 9110 §13.1.2): a W/ prefix added by a proxy still matches
      const own = new Set(Object.values(tags))
      return ifNoneMatch.split(',').some((t) => own.has(t.trim().replace(/^W\//, '')))
    },
    body(coding) {
      if (coding === 'br') {
        return (brotli ??= br(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }))
      }
      if (coding === 'gzip') return (gzipped ??= gz(identity, { level: constants.Z_BEST_COMPRESSION }))
      return Promise.resolve(identity)
    },
  }
}
