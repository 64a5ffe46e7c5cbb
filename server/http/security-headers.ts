/**
 * Headers on every response (DESIGN §12): a Content-Security-Policy of our
 * own origin plus the configured tile and Mapbox hosts, nosniff, who may
 * frame us (FRAME_ANCESTORS) and a Referrer-Policy that keeps paths (with a
 * wall's ?token=) from leaving the site.
 */
import type { RequestHandler } from 'express'
import type { WallConfig } from '../domain/api.ts'

const MAPBOX = ['https://api.mapbox.com', 'https://*.tiles.mapbox.com', 'https://events.mapbox.com']

/** The origin of a tile URL template (`https://t.example/{z}/{x}/{y}.png`), or nothing when it is on our own. */
function tileOrigin(url: string): string | undefined {
  try {
    const u = new URL(url.replace(/\{[^}]*\}/g, '0'))
    return u.origin === 'null' ? undefined : u.origin
  } catch {
    return undefined // a relative URL: served by us
  }
}

/** The policy for this wall configuration; maplibre needs blob: workers and data:/blob: images, ECharts only canvas. */
export function contentSecurityPolicy(wall: WallConfig, frameAncestors: string): string {
  const hosts = [...new Set([
    ...(wall.map.tiles ? [tileOrigin(wall.map.tiles.url)].filter((o): o is string => Boolean(o)) : []),
    ...(wall.map.engine === 'mapbox' ? MAPBOX : []),
  ])].join(' ')
  const withHosts = (base: string) => (hosts ? `${base} ${hosts}` : base)
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    withHosts("img-src 'self' data: blob:"),
    "font-src 'self' data:",
    withHosts("connect-src 'self'"), // 'self' covers our own ws:/wss: for socket.io
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ')
}

export function securityHeaders(wall: WallConfig, frameAncestors: string): RequestHandler {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(wall, frameAncestors),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin', // other sites (tiles, Mapbox URL-restricted tokens) see our origin only, never a path or ?token=
    'Cross-Origin-Opener-Policy': 'same-origin',
  }
  return (_req, res, next) => {
    res.set(headers)
    next()
  }
}
