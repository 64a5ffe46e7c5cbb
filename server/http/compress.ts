/**
 * Compressed delivery. The built client's .br/.gz twins (written at build
 * time, see build/precompress-plugin.ts) are served as they are, with
 * Content-Encoding and Vary; JSON and other text the routes produce is
 * compressed on the fly (brotli preferred, then gzip). Ingest is left alone:
 * its senders are machines on a LAN and its hot path should not pay for zlib.
 * socket.io never reaches express (engine.io answers /socket.io/ first).
 */
import { existsSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import compression from 'compression'
import type { Request, RequestHandler } from 'express'

const INGEST = /^\/api\/v1\/(events|channels\/[^/]+\/events)$/
/** Above this a dynamic response is worth compressing (the `compression` default). */
const THRESHOLD = 1024

/** On-the-fly compression of what the routes send (JSON, GeoJSON, text), never of ingest or socket.io. */
export function compressResponses(): RequestHandler {
  return compression({
    threshold: THRESHOLD,
    filter: (req, res) => !INGEST.test(req.path) && !req.path.startsWith('/socket.io/') && compression.filter(req, res),
  })
}

export type ContentCoding = 'br' | 'gzip'

/**
 * The coding to answer with among `offered`: brotli when the client takes it
 * at least as gladly as gzip (browsers list gzip first, with equal weight),
 * else gzip, else null (identity). `q=0` refuses a coding; `*` stands for
 * any coding not named.
 */
export function pickCoding(acceptEncoding: string | undefined, offered: readonly ContentCoding[]): ContentCoding | null {
  if (!acceptEncoding) return null
  const weights = new Map<string, number>()
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    weights.set(name, q === undefined ? 1 : Number(q) || 0)
  }
  const weight = (coding: ContentCoding) => weights.get(coding) ?? weights.get('*') ?? 0
  let best: ContentCoding | null = null
  for (const coding of (['br', 'gzip'] as const).filter((c) => offered.includes(c))) {
    if (weight(coding) > 0 && (best === null || weight(coding) > weight(best))) best = coding
  }
  return best
}

const SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz' }
/** Hashed file names never change content: cache them for a year. */
const IMMUTABLE = /^\/assets\//

/**
 * Serves `dir`'s precompressed twins (`x.js.br`, `x.js.gz`) for a request of
 * `x.js` when the client accepts the coding, with Vary set whenever a twin
 * exists so a cache keeps the codings apart. Hashed files under /assets/ are
 * sent here in any case, cached for a year; the rest falls through to
 * express.static.
 */
export function precompressedAssets(dir: string): RequestHandler {
  const root = normalize(dir + sep)
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    const file = fileOf(root, req)
    if (!file) return next()
    const offered = (['br', 'gzip'] as const).filter((c) => existsSync(file + SUFFIX[c]))
    if (offered.length > 0) res.vary('Accept-Encoding')
    const coding = pickCoding(req.get('accept-encoding'), offered)
    const immutable = IMMUTABLE.test(req.path)
    if (!coding && !immutable) return next()
    if (coding) res.type(extname(file)).set('Content-Encoding', coding)
    res.sendFile(coding ? file + SUFFIX[coding] : file, {
      dotfiles: 'deny',
      ...(immutable ? { maxAge: '365d', immutable: true } : { maxAge: '1h' }),
    }, (err) => {
      if (!err || res.headersSent) return
      res.removeHeader('Content-Encoding')
      next()
    })
  }
}

/** The file under `root` a request names, if it is a regular file there (never outside root). */
function fileOf(root: string, req: Request): string | null {
  let path: string
  try {
    path = decodeURIComponent(req.path)
  } catch {
    return null
  }
  if (path.includes('\0') || path.endsWith('/')) return null
  const file = normalize(join(root, path))
  if (!file.startsWith(root)) return null
  try {
    return statSync(file).isFile() ? file : null
  } catch {
    return null
  }
}
