// utf8Length (event-bounds.ts) sizes attrs as JSON without encoding them; the platform's TextEncoder is the oracle.
import { describe, expect, it } from 'vitest'
import { utf8Length } from '../../server/domain/event-bounds.ts'

const encoder = new TextEncoder()
const samples = [
  '', 'plain ascii', '网格事件 数字城管', 'é ß ÿ', '🚧 road works 🚒', 'emoji at the end 😀', '\u0000\u007f\u0080\u07ff\u0800\uffff',
  'lone high \ud800 surrogate', 'lone low \udc00 one', 'high at the end \ud83d', '\udc00\ud800 reversed pair',
  JSON.stringify({ note: '吐鲁番 \ud800 🚒', n: [1, 2, 3] }),
]

describe('utf8Length', () => {
  it.each(samples)('counts %j as TextEncoder encodes it', (s) => {
    expect(utf8Length(s)).toBe(encoder.encode(s).length)
  })

  it('agrees with TextEncoder on 2,000 random strings of every code unit', () => {
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    for (let i = 0; i < 2000; i++) {
      const s = String.fromCharCode(...Array.from({ length: next() % 40 }, () => next() % 0x10000))
      expect(utf8Length(s), JSON.stringify(s)).toBe(encoder.encode(s).length)
    }
  })
})
