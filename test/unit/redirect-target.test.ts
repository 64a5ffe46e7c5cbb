import { describe, expect, it } from 'vitest'
import { redirectTarget } from '../../client/pages/redirect-target.ts'

const ORIGIN = 'http://wall.local:3000'

describe('redirectTarget (login ?next=)', () => {
  it('keeps a path of this site with its query and hash', () => {
    expect(redirectTarget('/tablet/650402003?lang=en#x', ORIGIN)).toBe('/tablet/650402003?lang=en#x')
    expect(redirectTarget('/wall', ORIGIN)).toBe('/wall')
  })
  it('refuses everything a browser would resolve to another origin', () => {
    for (const next of ['/\t/evil.example/x', '/\n/evil.example', '//evil.example', '/\\evil.example', '\\\\evil.example',
      'https://evil.example/', 'javascript:alert(1)', ' /wall', '/\u0000/evil', 'evil.example', '/%09/x'.replace('%09', '\t'), '']) {
      expect(redirectTarget(next, ORIGIN), JSON.stringify(next)).toBeNull()
    }
    expect(redirectTarget(['/wall'], ORIGIN)).toBeNull()
    expect(redirectTarget(undefined, ORIGIN)).toBeNull()
  })
  it('never goes back to /login', () => {
    expect(redirectTarget('/login?next=/wall', ORIGIN)).toBeNull()
    expect(redirectTarget('/./login', ORIGIN)).toBeNull()
  })
})
