/**
 * Where to go after login: `?next=` only when the browser itself resolves it
 * to a path on this origin. Checking the string is not enough: browsers drop
 * tabs and newlines and read `\` as `/`, so "/\t/evil.example" or "/\evil"
 * would leave the site (an open redirect).
 */
export function redirectTarget(next: unknown, origin: string): string | null {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2000) return null
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next) || next.startsWith('//')) return null
  let url: URL
  try {
    url = new URL(next, origin)
  } catch {
    return null
  }
  if (url.origin !== origin || url.pathname.startsWith('//')) return null
  if (/^\/login(\/|$)/.test(url.pathname)) return null
  return `${url.pathname}${url.search}${url.hash}`
}
