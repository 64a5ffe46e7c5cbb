// `npm run bench`: the benchmarks of issue 11 one after another, each in a
// process of its own (each also runs alone: see its header), then one table
// of every figure with its ceiling from the same run, and the machine's load.
// Defaults keep the whole run to a few minutes; pass a bench's own flags after
// its name to change them, e.g. `npm run bench -- fanout --levels 0,100`.
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { ROW_PREFIX, formatTable, type BenchRow } from './bench-table.ts'

const BENCHES: Record<string, string[]> = {
  'ingest-ceiling': ['test/bench/ingest-ceiling.ts'],
  'apply-floor': ['test/bench/apply-floor.ts'],
  fanout: ['test/bench/fanout.ts'],
  'replay-lag': ['test/bench/replay-lag.ts', '--hours', '0.5'],
  partitions: ['test/bench/partition-masters.ts'],
}

const asked = process.argv.slice(2)
const only = asked.length > 0 && BENCHES[asked[0]!] ? { [asked[0]!]: [...BENCHES[asked[0]!]!, ...asked.slice(1)] } : BENCHES
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ')

function run(name: string, args: string[]): Promise<{ code: number | null; rows: BenchRow[] }> {
  const rows: BenchRow[] = []
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  let rest = ''
  child.stdout!.on('data', (b: Buffer) => {
    const lines = (rest + b.toString()).split('\n')
    rest = lines.pop()!
    for (const line of lines) {
      if (line.startsWith(ROW_PREFIX)) rows.push(JSON.parse(line.slice(ROW_PREFIX.length)) as BenchRow)
      else console.log(`[${name}] ${line}`)
    }
  })
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, rows })))
}

const started = Date.now()
const loadBefore = load()
const all: BenchRow[] = []
const failed: string[] = []
for (const [name, args] of Object.entries(only)) {
  console.log(`\n== ${name}: ${args.join(' ')}  (load ${load()})`)
  const { code, rows } = await run(name, args)
  all.push(...rows)
  if (code !== 0) failed.push(`${name} (exit ${code})`)
}
console.log(`\n${formatTable(all)}`)
console.log(`\n${Object.keys(only).length} benches in ${((Date.now() - started) / 1000).toFixed(0)} s; load average (1/5/15 min) ${loadBefore} before, ${load()} after; node ${process.version}`)
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`)
  process.exit(1)
}
