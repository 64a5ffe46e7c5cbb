/**
 * A video wall's credential: the display token of its `?token=` link. It is
 * read once when the page loads and kept for the page's life, so a later
 * change of the query cannot drop it; the link itself keeps it, so the wall
 * comes back after a power cut with the same URL. Every fetch and the socket
 * handshake carry it; when the server refuses it (401), the wall says so
 * instead of spinning. A page without `?token=` runs on the session cookie.
 */
import { shallowRef, type ShallowRef } from 'vue'

const fromUrl = typeof location === 'undefined' ? '' : (new URLSearchParams(location.search).get('token') ?? '')
let token = fromUrl.trim()
const refused = shallowRef(false)

/** The page's display token, or '' when it runs on a session cookie. */
export const displayToken = (): string => token

/** Use `next` as the page's token (a wall switched to another link without a reload; tests). */
export function adoptDisplayToken(next: string): void {
  token = next.trim()
  refused.value = false
}

/** Headers that carry the display token on a fetch; none without one (the cookie rides along). */
export function authHeaders(): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** True once the server refused the display token (wrong or revoked); cleared when it is accepted again. */
export const tokenRefused: Readonly<ShallowRef<boolean>> = refused

/**
 * Record the server's answer to a request made with the token: 401 means the
 * token is wrong or revoked; any answer it accepted means it works again.
 * Without a display token a 401 is a session matter, not the wall's.
 */
export function noteTokenAnswer(status: number): void {
  if (!token) return
  if (status === 401) refused.value = true
  else if (status > 0 && status < 400) refused.value = false
}
