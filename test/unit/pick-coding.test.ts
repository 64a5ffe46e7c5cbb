// Which content coding the server answers with, from a request's Accept-Encoding.
import { describe, expect, it } from 'vitest'
import { pickCoding } from '../../server/http/compress.ts'

describe('pickCoding', () => {
  it('prefers brotli when a browser lists gzip first with equal weight', () => {
    expect(pickCoding('gzip, deflate, br, zstd', ['br', 'gzip'])).toBe('br')
  })
  it('follows the weights the client gives', () => {
    expect(pickCoding('br;q=0.5, gzip', ['br', 'gzip'])).toBe('gzip')
    expect(pickCoding('br;q=0, gzip;q=0', ['br', 'gzip'])).toBeNull()
    expect(pickCoding('*', ['br', 'gzip'])).toBe('br')
    expect(pickCoding('*;q=0, gzip', ['br', 'gzip'])).toBe('gzip')
  })
  it('offers only what exists, and nothing without the header', () => {
    expect(pickCoding('br, gzip', ['gzip'])).toBe('gzip')
    expect(pickCoding('br', ['gzip'])).toBeNull()
    expect(pickCoding(undefined, ['br', 'gzip'])).toBeNull()
    expect(pickCoding('identity', ['br', 'gzip'])).toBeNull()
  })
})
