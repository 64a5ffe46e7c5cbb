/**
 * The little XML GeoReport v2 speaks: a root element holding a list of
 * records of flat fields (`<services><service><service_code>…`). Written by
 * hand, escaping text and dropping characters XML 1.0 cannot carry.
 */
export type XmlValue = string | number | boolean | null | undefined | string[]

// XML 1.0 allows tab, newline, carriage return and U+0020 upwards (minus surrogate halves and U+FFFE/F)
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text safe inside an element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(INVALID, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

function field(name: string, value: XmlValue): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`)
  if (value === undefined) return ''
  if (value === null || value === '') return `<${name}/>`
  const text = Array.isArray(value) ? value.join(',') : String(value)
  return `<${name}>${escapeXml(text)}</${name}>`
}

/** `<root><item><k>v</k>…</item>…</root>` with the XML declaration. */
export function toXml(root: string, item: string, records: Record<string, XmlValue>[]): string {
  const body = records.map((r) => `<${item}>${Object.entries(r).map(([k, v]) => field(k, v)).join('')}</${item}>`).join('')
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${body}</${root}>`
}
