// One row format for every benchmark of `npm run bench`: a bench prints each
// figure as a `BENCH {json}` line (and a table of its own when run alone);
// test/bench/run-all.ts collects the lines of every bench into one table.
export interface BenchRow {
  bench: string
  figure: string
  value: string
  /** The same figure for the ceiling measured in the same run, and value / ceiling. */
  ceiling?: string
  ratio?: string
  /** The target for the ratio or value, as text. */
  target?: string
}

export const ROW_PREFIX = 'BENCH '

export function emitRow(row: BenchRow): void {
  console.log(`${ROW_PREFIX}${JSON.stringify(row)}`)
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['bench', 'figure', 'value', 'ceiling', 'ratio', 'target']
  const cells = rows.map((r) => [r.bench, r.figure, r.value, r.ceiling ?? '', r.ratio ?? '', r.target ?? ''])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

export const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : '')
