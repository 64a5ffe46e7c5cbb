/** CSV for Excel: UTF-8 with a BOM (so Excel reads Chinese), CRLF line ends, RFC 4180 quoting. */

export type CsvCell = string | number | null | undefined

const BOM = '\uFEFF'

/** One field: quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvField(v: CsvCell): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

/** A whole document: the BOM, the header row and the rows, every line ended by CRLF. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvField).join(',') + '\r\n').join('')
}

/** A rate (fraction 0–1) as a percentage with one decimal ("96.9%"); empty without a denominator. */
export const percent = (v: number | null | undefined): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '')
